import Taro from '@tarojs/taro'
import type { AttachmentView } from '@qihu/contracts'
import { apiUrl, responseData, withRetries, withSession } from './request'

const UPLOADS_PATH = '/api/v1/uploads'

export interface UploadOptions {
  /** Voice notes: how long the recording is. */
  durationMs?: number
  /** H5 only: the name the file goes up under (a blob URL has none). */
  fileName?: string
}

/**
 * POST /uploads (multipart, field `file`) through Taro.uploadFile, with the session's token and
 * the error handling of `request`. Retried on a network failure: a repeated upload only leaves an
 * unused file behind, which is better than losing the photo on a weak link.
 */
export function uploadFile(filePath: string, options: UploadOptions = {}): Promise<AttachmentView> {
  const formData = options.durationMs === undefined ? undefined : { durationMs: String(Math.round(options.durationMs)) }
  return withSession((authHeader) =>
    withRetries(async () => {
      const response = await Taro.uploadFile({
        url: apiUrl(UPLOADS_PATH),
        filePath,
        name: 'file',
        header: authHeader,
        formData,
        ...(options.fileName ? { fileName: options.fileName } : {}),
      })
      return responseData<AttachmentView>(response.statusCode, parseBody(response.data))
    }),
  )
}

/** uploadFile hands the body over as text (wx and H5 alike). */
function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data)
  } catch {
    return data
  }
}
