import { ErrorCode } from '@qihu/contracts'
import { uploadFile } from '../upload'
import { REFRESH_PATH } from '../request'
import { getSession, resetSessionCache, saveSession } from '../session'
import { fakeTaro, resetFakeTaro } from '../../testing/fake-taro'
import { FIRM_CONTACT, meView, session } from '../../testing/fixtures'

jest.mock('@tarojs/taro', () => require('../../testing/fake-taro'))

const me = meView([FIRM_CONTACT])
const stored = { id: 'up_1', kind: 'image', mime: 'image/jpeg', size: 2048, url: '/api/v1/uploads/up_1/file?sig=x', eventId: null, createdAt: '2026-11-23T02:00:00.000Z' }

beforeEach(() => {
  resetFakeTaro()
  resetSessionCache()
  saveSession(session(me, 1))
})

describe('uploadFile', () => {
  it('posts the file as multipart field `file` to /uploads with the bearer token and reads the JSON answer', async () => {
    fakeTaro.uploadFile.mockResolvedValue({ statusCode: 201, data: JSON.stringify(stored) })

    await expect(uploadFile('wxfile://tmp/photo.jpg')).resolves.toEqual(stored)

    expect(fakeTaro.uploadFile).toHaveBeenCalledWith({
      url: 'http://127.0.0.1:3000/api/v1/uploads',
      filePath: 'wxfile://tmp/photo.jpg',
      name: 'file',
      header: { Authorization: 'Bearer access-1' },
      formData: undefined,
    })
  })

  it('sends a voice note with its duration and, on H5, the picked file name', async () => {
    fakeTaro.uploadFile.mockResolvedValue({ statusCode: 201, data: JSON.stringify({ ...stored, kind: 'voice' }) })

    await uploadFile('blob:http://x/1', { durationMs: 4200.4, fileName: 'note.aac' })

    expect(fakeTaro.uploadFile).toHaveBeenCalledWith(expect.objectContaining({ formData: { durationMs: '4200' }, fileName: 'note.aac' }))
  })

  it("turns a refusal into an ApiError with the server's Chinese message", async () => {
    fakeTaro.uploadFile.mockResolvedValue({
      statusCode: 400,
      data: JSON.stringify({ code: ErrorCode.UploadRejected, message: '文件类型不支持' }),
    })

    await expect(uploadFile('wxfile://tmp/a.gif')).rejects.toMatchObject({ code: ErrorCode.UploadRejected, message: '文件类型不支持', status: 400 })
    expect(fakeTaro.uploadFile).toHaveBeenCalledTimes(1)
  })

  it('renews an expired login through the shared refresh and uploads again with the new token', async () => {
    fakeTaro.uploadFile.mockImplementation(async (o: { header: Record<string, string> }) =>
      o.header.Authorization === 'Bearer access-2'
        ? { statusCode: 201, data: JSON.stringify(stored) }
        : { statusCode: 401, data: JSON.stringify({ code: ErrorCode.Unauthenticated, message: '登录已过期，请重新登录' }) },
    )
    fakeTaro.request.mockResolvedValue({ statusCode: 200, data: session(me, 2) })

    await expect(uploadFile('wxfile://tmp/photo.jpg')).resolves.toEqual(stored)

    expect(fakeTaro.request).toHaveBeenCalledWith(expect.objectContaining({ url: `http://127.0.0.1:3000${REFRESH_PATH}`, data: { refreshToken: 'refresh-1' } }))
    expect(fakeTaro.uploadFile).toHaveBeenCalledTimes(2)
    expect(getSession()).toMatchObject({ accessToken: 'access-2' })
  })

  it('tries again after a network failure (a repeated upload of the same bytes answers the same upload)', async () => {
    jest.useFakeTimers()
    try {
      fakeTaro.uploadFile.mockRejectedValueOnce({ errMsg: 'uploadFile:fail' }).mockResolvedValue({ statusCode: 201, data: JSON.stringify(stored) })
      const pending = uploadFile('wxfile://tmp/photo.jpg')
      await jest.runAllTimersAsync()
      await expect(pending).resolves.toEqual(stored)
      expect(fakeTaro.uploadFile).toHaveBeenCalledTimes(2)
    } finally {
      jest.useRealTimers()
    }
  })
})
