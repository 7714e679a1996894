import type { PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import { requireLogin } from './services/session'
import './app.css'

function App({ children }: PropsWithChildren) {
  // Everything but the login page needs a session: without one, start at the login page.
  useLaunch(() => {
    requireLogin()
  })
  // children is the page being shown
  return children
}

export default App
