// Sends a File to the core in base64 chunks (the same path in the browser and in Electron); the upload then
// serves the value check (imports.values) and the import itself (imports.start).
import { UPLOAD_CHUNK_BYTES, type CsvMapping, type ImportFormat, type ImportRunStatus } from '../../../../shared/contracts/importers.ts';
import { getApi } from '../../api/index.ts';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Uploads the file; resolves to the upload's id. */
export async function uploadFile(file: File, onUpload: (sent: number, total: number) => void, cancelled: () => boolean): Promise<string> {
  const api = getApi();
  let uploadId: string | undefined;
  let offset = 0;
  do {
    if (cancelled()) throw new Error('import cancelled during upload; nothing was imported');
    const bytes = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK_BYTES).arrayBuffer());
    const result = await api['imports.upload']({ uploadId, offset, chunkBase64: toBase64(bytes) });
    if (!result.ok) throw new Error(result.error.message);
    uploadId = result.value.uploadId;
    offset = result.value.bytes;
    onUpload(offset, file.size);
  } while (offset < file.size);
  if (!uploadId) {
    const result = await api['imports.upload']({ offset: 0, chunkBase64: '' });
    if (!result.ok) throw new Error(result.error.message);
    uploadId = result.value.uploadId;
  }
  return uploadId;
}

export async function startImport(uploadId: string, file: File, format: ImportFormat, mapping: CsvMapping | undefined, timezone: string | undefined): Promise<ImportRunStatus> {
  const started = await getApi()['imports.start']({ uploadId, fileName: file.name, format, mapping, timezone: timezone || undefined });
  if (!started.ok) throw new Error(started.error.message);
  return started.value;
}
