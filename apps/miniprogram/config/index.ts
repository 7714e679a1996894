import { defineConfig, type UserConfigExport } from '@tarojs/cli'

// https://docs.taro.zone/docs/config
/** CI logs are files, not terminals: the progress bar would print thousands of lines there. */
function quietInCi(chain: { plugins: { delete(name: string): unknown } }): void {
  if (process.env.CI) chain.plugins.delete('webpackbar')
}

export default defineConfig<'webpack5'>(async () => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'qihu-miniprogram',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    framework: 'react',
    compiler: 'webpack5',
    // Nx caches the whole build output; webpack's own cache would only add a second one.
    cache: { enable: false },
    mini: {
      webpackChain: quietInCi,
      postcss: {
        pxtransform: { enable: true, config: {} },
      },
    },
    h5: {
      webpackChain: quietInCi,
      // Served statically at `/` by the API; hash routing needs no server-side fallback.
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
      },
    },
  }
  return config
})
