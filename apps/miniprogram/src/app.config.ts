export default defineAppConfig({
  // Main package: what a firm contact needs on first open. Role-specific pages
  // (staff, crew, admin) go into `subPackages` so they stay out of the main package.
  pages: ['pages/index/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '企呼我应',
    navigationBarTextStyle: 'black',
  },
})
