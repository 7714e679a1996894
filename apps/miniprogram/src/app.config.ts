export default defineAppConfig({
  // Main package: what everyone needs on first open (login, the firm contact's one-tap home,
  // 我的). Role-specific pages go into `subPackages` so they stay out of the main package.
  pages: ['pages/index/index', 'pages/me/index', 'pages/login/index'],
  subPackages: [
    {
      // Firm contacts and workers: the request form and 我的诉求.
      root: 'packages/firm',
      pages: ['pages/request/index', 'pages/mine/index'],
    },
    {
      // Grid staff, micro-grid leaders, departments and the admin: 待办, the lists, 我的值班.
      root: 'packages/staff',
      pages: ['pages/inbox/index', 'pages/firms/index', 'pages/people/index', 'pages/duty/index'],
    },
    {
      // Maintenance crew members: 派单 (accept, check in, record parts and finish on the ticket page).
      root: 'packages/crew',
      pages: ['pages/dispatches/index'],
    },
    {
      // Opened by every role: a ticket (its buttons follow the ticket's `actions`) and 消息通知.
      root: 'packages/common',
      pages: ['pages/ticket/index', 'pages/notifications/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '企呼我应',
    navigationBarTextStyle: 'black',
  },
  // WeChat asks the person before the first use; the text says why.
  permission: {
    'scope.userLocation': { desc: '用于填写诉求地点、到场签到和导航到企业' },
  },
  requiredPrivateInfos: ['getLocation', 'chooseLocation'],
})
