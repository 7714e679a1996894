const { dotenvParse } = require('@tarojs/helper')

// Run the sources as the weapp build sees them: Taro's own loader, the same env file.
// Loaded here (Node, before workers start) because @tarojs/helper does not load under jsdom.
Object.assign(process.env, dotenvParse(__dirname, 'TARO_APP_', 'weapp'))

/** Unit tests of the mini-program sources: babel, jsdom, Taro's React components for H5. */
module.exports = {
  displayName: 'miniprogram',
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src'],
  testMatch: ['**/__tests__/**/*.spec.{ts,tsx}'],
  transform: { '^.+\\.m?[jt]sx?$': 'babel-jest' },
  // @tarojs/components ships ESM (Stencil custom elements, with its own nested node_modules):
  // compile everything under @tarojs and @stencil like our code.
  transformIgnorePatterns: ['^(?!.*/node_modules/(@tarojs|@stencil|swiper|ssr-window|dom7)/).*/node_modules/'],
  // Build-time constants Taro's DefinePlugin gives @tarojs/runtime (Taro's defaults), which the
  // H5 components pull in.
  globals: {
    ENABLE_INNER_HTML: true,
    ENABLE_ADJACENT_HTML: false,
    ENABLE_SIZE_APIS: false,
    ENABLE_TEMPLATE_CONTENT: false,
    ENABLE_CLONE_NODE: false,
    ENABLE_CONTAINS: false,
    ENABLE_MUTATION_OBSERVER: false,
    DEPRECATED_ADAPTER_COMPONENT: false,
  },
  moduleNameMapper: {
    '^@tarojs/components$': '@tarojs/components/lib/react',
    '\\.css$': '<rootDir>/jest.style-stub.js',
  },
}
