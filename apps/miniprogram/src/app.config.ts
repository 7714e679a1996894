export default defineAppConfig({
  // Main package: what everyone needs on first open (login, the firm contact's one-tap home,
  // 我的). Role-specific pages go into `subPackages` so they stay out of the main package.
  pages: ['pages/index/index', 'pages/me/index', 'pages/login/index'],
  subPackages: [
    {
      // Grid staff, micro-grid leaders, departments, crews and the admin: the lists.
      root: 'packages/staff',
      pages: ['pages/firms/index', 'pages/people/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '企呼我应',
    navigationBarTextStyle: 'black',
  },
})
