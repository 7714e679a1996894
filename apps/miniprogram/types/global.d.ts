/// <reference types="@tarojs/taro" />

declare module '*.css'

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test'
    TARO_ENV: 'weapp' | 'h5'
    /** Origin of the API, from .env / .env.h5 ('' in H5: same origin). */
    TARO_APP_API_BASE: string
    /** 'true' to offer 演示登录 when the API has it (.env.h5: true, .env.weapp: false). */
    TARO_APP_DEMO_LOGIN: string
  }
}
