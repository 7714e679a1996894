import type { CategoryView, FirmView, GridView, MicrogridView, PersonView } from '@qihu/contracts'
import { withOfflineCopy } from './offline-copy'
import { request } from './request'

export function getFirm(id: number): Promise<FirmView> {
  return request<FirmView>(`/api/v1/firms/${id}`)
}

/** Firms the active role can see; `q` matches the name or the 统一社会信用代码. */
export function listFirms(q?: string): Promise<FirmView[]> {
  const query = q ? `?q=${encodeURIComponent(q)}` : ''
  return request<FirmView[]>(`/api/v1/firms${query}`)
}

export function listGrids(): Promise<GridView[]> {
  return request<GridView[]>('/api/v1/grids')
}

export function getGrid(id: number): Promise<GridView> {
  return request<GridView>(`/api/v1/grids/${id}`)
}

export function listMicrogrids(gridId?: number): Promise<MicrogridView[]> {
  return request<MicrogridView[]>(gridId ? `/api/v1/microgrids?gridId=${gridId}` : '/api/v1/microgrids')
}

/** 人员名单 (grid staff and the community admin only); phones come masked. */
export function listPeople(): Promise<PersonView[]> {
  return request<PersonView[]>('/api/v1/people')
}

/** The community's 诉求类别 (the home's category grid); kept for offline use like the intake defaults. */
export function listCategories(): Promise<CategoryView[]> {
  return withOfflineCopy('categories', () => request<CategoryView[]>('/api/v1/categories'))
}
