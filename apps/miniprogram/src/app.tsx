import type { PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import { startOutbox } from './services/outbox'
import './app.css'

/**
 * The app shell. The login guard lives in the pages (`requireLogin` once a page has mounted),
 * not in `useLaunch`: navigating while the H5 router is still mounting the first page could
 * leave the login page mounted but hidden (seen in about one CI run in four).
 */
function App({ children }: PropsWithChildren) {
  // Requests raised offline go out at launch, when the network returns and when the app is shown.
  useLaunch(startOutbox)
  // children is the page being shown
  return children
}

export default App
