import Taro from '@tarojs/taro'
import { ERROR_MESSAGE, ErrorCode, type CreateTicketRequest, type TicketView } from '@qihu/contracts'
import { ApiError, isNetworkError } from './request'
import { getMe } from './session'
import { toast } from './toast'
import { createTicket, newIdempotencyKey } from './tickets'
import { uploadFile } from './upload'

/**
 * 待发送: requests raised without a network. Each keeps the Idempotency-Key of the tap that
 * raised it and is sent again with that same key when the network returns, so a request whose
 * first attempt did reach the server (only the answer was lost) is not created twice.
 */
export const OUTBOX_STORAGE_KEY = 'qihu.outbox'

/** A photo or voice note picked while offline: uploaded just before its request is sent. */
export interface PendingFile {
  path: string
  kind: 'photo' | 'voice'
  durationMs?: number
}

export interface PendingRequest {
  idempotencyKey: string
  /** Only the person who raised it sends it (several people may share a phone). */
  personId: number
  body: CreateTicketRequest
  /** Not yet uploaded; each one's id moves into `body` once it is. */
  files: PendingFile[]
  /** For the list meanwhile. */
  categoryName: string
  queuedAt: string
}

/** A queued request the API refused (4xx): dropped, and shown until the person has seen it. */
export interface FailedRequest {
  idempotencyKey: string
  personId: number
  categoryName: string
  description: string
  message: string
  failedAt: string
}

interface Outbox {
  pending: PendingRequest[]
  failed: FailedRequest[]
}

export type SubmitResult = { ticket: TicketView; queued?: undefined } | { queued: PendingRequest; ticket?: undefined }

export interface NewRequest {
  body: CreateTicketRequest
  /** Photos and voice not uploaded yet (picked offline, or their upload failed). */
  files?: PendingFile[]
  categoryName: string
}

/**
 * Raises a request: sent now when there is a network, else (or when it fails for want of one)
 * kept in the outbox with its key. Any other failure (a 4xx) rejects, for the form to show.
 * Call once per tap: each call is a new request with a new key.
 */
export async function submitRequest(request: NewRequest): Promise<SubmitResult> {
  const me = getMe()
  if (!me) throw new ApiError(ErrorCode.Unauthenticated, ERROR_MESSAGE[ErrorCode.Unauthenticated], 401)
  const entry: PendingRequest = {
    idempotencyKey: newIdempotencyKey(),
    personId: me.id,
    body: { ...request.body },
    files: [...(request.files ?? [])],
    categoryName: request.categoryName,
    queuedAt: new Date().toISOString(),
  }
  if (await isOffline()) return { queued: queue(entry) }
  try {
    await uploadFiles(entry, () => undefined)
    return { ticket: await createTicket(entry.body, entry.idempotencyKey) }
  } catch (error) {
    if (isNetworkError(error)) return { queued: queue(entry) }
    throw error
  }
}

/** The current person's requests waiting to be sent, oldest first. */
export function pendingRequests(): PendingRequest[] {
  const personId = getMe()?.id
  return load().pending.filter((p) => p.personId === personId)
}

/** The current person's queued requests the API refused, newest first. */
export function failedRequests(): FailedRequest[] {
  const personId = getMe()?.id
  return load()
    .failed.filter((f) => f.personId === personId)
    .reverse()
}

/** 知道了: the person has read why a queued request was refused. */
export function dismissFailure(idempotencyKey: string): void {
  update((box) => ({ ...box, failed: box.failed.filter((f) => f.idempotencyKey !== idempotencyKey) }))
}

export interface SendReport {
  sent: TicketView[]
  refused: FailedRequest[]
  /** Still waiting: the network is (still) down. */
  waiting: number
}

let sending: Promise<SendReport> | null = null

/**
 * Sends the current person's waiting requests, oldest first, each with its own key. A network
 * failure stops the round (the rest would fail too) and keeps the request; a 4xx from the API
 * drops it with a visible message. One round at a time, however many triggers fire together.
 */
export function sendPending(): Promise<SendReport> {
  if (!sending) {
    sending = sendRound().finally(() => {
      sending = null
    })
  }
  return sending
}

async function sendRound(): Promise<SendReport> {
  const report: SendReport = { sent: [], refused: [], waiting: 0 }
  const waiting = pendingRequests()
  if (waiting.length === 0) return report
  for (const [index, entry] of waiting.entries()) {
    try {
      await uploadFiles(entry, () => replace(entry))
      report.sent.push(await createTicket(entry.body, entry.idempotencyKey))
      remove(entry.idempotencyKey)
    } catch (error) {
      if (keepsWaiting(error)) {
        report.waiting = waiting.length - index
        break
      }
      report.refused.push(refuse(entry, error as ApiError))
    }
  }
  announce(report)
  return report
}

/**
 * Kept for later: no answer, a server fault, an expired login, too many requests. A 4xx about the
 * request itself will not change by sending it again.
 */
function keepsWaiting(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true
  return error.status === 0 || error.status >= 500 || error.status === 401 || error.status === 408 || error.status === 429
}

/**
 * Uploads the entry's files, moving each one's id into the body and saving after each (`save`),
 * so a round cut short does not upload them twice. A file the API refuses (wrong type, too big)
 * is left out rather than holding the request back.
 */
async function uploadFiles(entry: PendingRequest, save: () => void): Promise<void> {
  while (entry.files.length > 0) {
    const file = entry.files[0]
    try {
      const attachment = await uploadFile(file.path, file.kind === 'voice' ? { durationMs: file.durationMs } : {})
      if (file.kind === 'voice') entry.body.voiceId = attachment.id
      else entry.body.photoIds = [...(entry.body.photoIds ?? []), attachment.id]
    } catch (error) {
      if (keepsWaiting(error)) throw error
    }
    entry.files.shift()
    save()
  }
}

function refuse(entry: PendingRequest, error: ApiError): FailedRequest {
  const failure: FailedRequest = {
    idempotencyKey: entry.idempotencyKey,
    personId: entry.personId,
    categoryName: entry.categoryName,
    description: entry.body.description ?? '',
    message: error.message,
    failedAt: new Date().toISOString(),
  }
  update((box) => ({
    pending: box.pending.filter((p) => p.idempotencyKey !== entry.idempotencyKey),
    failed: [...box.failed, failure],
  }))
  return failure
}

function announce(report: SendReport): void {
  let title: string | null = null
  if (report.refused.length > 0) title = `待发送的诉求未能提交：${report.refused[0].message}`
  else if (report.sent.length > 0) title = `${report.sent.length} 条待发送的诉求已送达`
  if (title) toast(title)
}

async function isOffline(): Promise<boolean> {
  try {
    return (await Taro.getNetworkType()).networkType === 'none'
  } catch {
    return false // cannot tell: try to send, a failure queues it anyway
  }
}

function queue(entry: PendingRequest): PendingRequest {
  update((box) => ({ ...box, pending: [...box.pending, entry] }))
  return entry
}

function replace(entry: PendingRequest): void {
  update((box) => ({ ...box, pending: box.pending.map((p) => (p.idempotencyKey === entry.idempotencyKey ? entry : p)) }))
}

function remove(idempotencyKey: string): void {
  update((box) => ({ ...box, pending: box.pending.filter((p) => p.idempotencyKey !== idempotencyKey) }))
}

const listeners = new Set<() => void>()

/** Called after every change of the outbox (a page showing 待发送 re-reads it). */
export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

function load(): Outbox {
  try {
    const stored = Taro.getStorageSync(OUTBOX_STORAGE_KEY) as Partial<Outbox> | ''
    if (stored && Array.isArray(stored.pending) && Array.isArray(stored.failed)) return stored as Outbox
  } catch {
    // unreadable storage: an empty outbox
  }
  return { pending: [], failed: [] }
}

function update(change: (box: Outbox) => Outbox): void {
  const next = change(load())
  try {
    Taro.setStorageSync(OUTBOX_STORAGE_KEY, next)
  } catch {
    // Storage full: nothing better to do than to try again with the next change.
  }
  for (const listener of listeners) listener()
}

let started = false

/**
 * Sends waiting requests now and whenever the network comes back or the app is shown again.
 * Called once at launch.
 */
export function startOutbox(): void {
  if (started) return
  started = true
  const trySending = () => {
    if (getMe()) void sendPending()
  }
  listen(() => Taro.onNetworkStatusChange((status) => status.isConnected && trySending()))
  listen(() => Taro.onAppShow(trySending))
  // The browser says when it is back online; Taro's H5 network events follow only connection-type changes.
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') window.addEventListener('online', trySending)
  trySending()
}

/** A host without this event (an old base library): the launch and pull-down still send. */
function listen(register: () => void): void {
  try {
    register()
  } catch {
    // nothing to listen to
  }
}
