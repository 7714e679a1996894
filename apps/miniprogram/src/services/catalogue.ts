import type { PartView, ServiceItemView } from '@qihu/contracts'
import { request } from './request'

/** 统一价目表: the service items in use now, by code. */
export function listServiceItems(): Promise<ServiceItemView[]> {
  return request<ServiceItemView[]>('/api/v1/service-items?active=true')
}

/** 配件目录: the parts in use now, by code. */
export function listParts(): Promise<PartView[]> {
  return request<PartView[]>('/api/v1/parts?active=true')
}
