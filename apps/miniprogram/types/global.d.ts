/// <reference types="@tarojs/taro" />

declare module '*.css'

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test'
    TARO_ENV: 'weapp' | 'h5'
    /** Origin of the API, from .env / .env.h5 ('' in H5: same origin). */
    TARO_APP_API_BASE: string
  }
}
