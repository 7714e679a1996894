// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
module.exports = (api) => {
  // Jest runs the sources directly in Node/jsdom, outside Taro's build.
  if (api.env('test')) {
    return {
      presets: [
        ['@babel/preset-env', { targets: { node: 'current' } }],
        ['@babel/preset-react', { runtime: 'automatic' }],
        '@babel/preset-typescript',
      ],
    }
  }
  return {
    presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
  }
}
