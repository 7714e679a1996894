export default definePageConfig({
  navigationBarTitleText: '企呼我应',
})
