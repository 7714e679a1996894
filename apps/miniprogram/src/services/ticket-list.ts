import { useRef, useState } from 'react'
import type { TicketListView, TicketSummaryView } from '@qihu/contracts'
import { messageOf } from './roles'

export interface TicketList {
  items: TicketSummaryView[] | null
  /** When the first page arrived (the countdowns count from it). */
  receivedAt: number
  error: string | null
  hasMore: boolean
  loadingMore: boolean
  /** Loads the first page again (a new filter, pull-down, back from a ticket). */
  reload: () => Promise<void>
  loadMore: () => Promise<void>
}

/**
 * A paged ticket list (我的诉求, 待办) for `fetchPage`: the first page on `reload`, the next on
 * `loadMore`. Only the answer to the latest reload is shown: a quick change of filter can leave
 * an older answer arriving last.
 */
export function useTicketList(fetchPage: (cursor?: string) => Promise<TicketListView>): TicketList {
  const [items, setItems] = useState<TicketSummaryView[] | null>(null)
  const [receivedAt, setReceivedAt] = useState(Date.now)
  const [error, setError] = useState<string | null>(null)
  const [cursor, setCursor] = useState<string | undefined>(undefined)
  const [loadingMore, setLoadingMore] = useState(false)
  const generation = useRef(0)
  const fetchRef = useRef(fetchPage)
  fetchRef.current = fetchPage

  const reload = async () => {
    const mine = ++generation.current
    setError(null)
    try {
      const page = await fetchRef.current()
      if (mine !== generation.current) return
      setItems(page.items)
      setCursor(page.nextCursor)
      setReceivedAt(Date.now())
    } catch (e) {
      if (mine === generation.current) setError(messageOf(e))
    }
  }

  const loadMore = async () => {
    if (!cursor || loadingMore) return
    const mine = generation.current
    setLoadingMore(true)
    try {
      const page = await fetchRef.current(cursor)
      if (mine !== generation.current) return
      // Their time left is as of now: restated as of `receivedAt`, which every chip counts from.
      const late = Date.now() - receivedAt
      const restated = page.items.map((t) => (t.deadline ? { ...t, deadline: { ...t.deadline, remainingMs: t.deadline.remainingMs + late } } : t))
      setItems((current) => [...(current ?? []), ...restated])
      setCursor(page.nextCursor)
    } catch (e) {
      if (mine === generation.current) setError(messageOf(e))
    } finally {
      setLoadingMore(false)
    }
  }

  return { items, receivedAt, error, hasMore: Boolean(cursor), loadingMore, reload, loadMore }
}
