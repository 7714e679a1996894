import { act, waitFor } from '@testing-library/react'

/**
 * Types into Taro's H5 <Input> or <Textarea> (found by placeholder): its custom element emits
 * `input` with `{ value }` as detail, once Stencil has rendered the inner field.
 */
export async function typeInto(placeholder: RegExp | string, value: string): Promise<void> {
  const matches = (text: unknown) => (typeof placeholder === 'string' ? text === placeholder : placeholder.test(String(text)))
  const host = [...document.querySelectorAll('taro-input-core, taro-textarea-core')].find((el) =>
    matches((el as unknown as { placeholder?: string }).placeholder),
  )
  if (!host) throw new Error(`no input with placeholder ${placeholder}`)
  await waitFor(() => expect(host.querySelector('input, textarea')).toBeTruthy())
  await act(async () => {
    host.dispatchEvent(new CustomEvent('input', { detail: { value, cursor: value.length } }))
  })
}
