// Photos of a filed complaint: a presigned form from the API, then the file posted straight to storage (the S3
// bucket in AWS, the local runtime here) with XMLHttpRequest, whose upload events drive the progress bar.
import { useId, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { ErrorMessage, Progress, StatusMessage } from '../shared/ui.tsx';
import { explain, type T } from './strings.ts';

interface UploadForm {
  url: string;
  fields: Record<string, string>;
  maxBytes: number;
  acceptedTypes: string[];
}

function post(form: UploadForm, file: File, onProgress: (percent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
    body.append('Content-Type', file.type || 'image/jpeg');
    // The file goes last: S3 ignores any field after it.
    body.append('file', file);
    const request = new XMLHttpRequest();
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    request.addEventListener('load', () =>
      request.status >= 200 && request.status < 300 ? resolve() : reject(new Error(`HTTP ${request.status}`)),
    );
    request.addEventListener('error', () => reject(new Error('network')));
    request.open('POST', form.url);
    request.send(body);
  });
}

export function PhotoUpload(props: { t: T; complaintId: string }) {
  const { t } = props;
  const id = useId();
  const [file, setFile] = useState<File>();
  const [progress, setProgress] = useState<number>();
  const [uploaded, setUploaded] = useState(0);
  const [error, setError] = useState<string>();

  const upload = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setError(undefined);
    setProgress(0);
    try {
      const form = await api<UploadForm>(`/complaints/${encodeURIComponent(props.complaintId)}/photos`, {
        method: 'POST',
      });
      if (file.size > form.maxBytes) throw new Error('too large');
      await post(form, file, setProgress);
      setUploaded((n) => n + 1);
      setFile(undefined);
      const input = document.getElementById(id) as HTMLInputElement | null;
      if (input) input.value = '';
    } catch (e) {
      setError((e as { problem?: unknown }).problem ? explain(t, e) : t('report.uploadFailed'));
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('report.photos')}</h2>
      <form onSubmit={upload}>
        <div class="field">
          <label for={id}>{t('report.photo')}</label>
          <p class="hint" id={`${id}-hint`}>
            {t('report.photoHint')}
          </p>
          <input
            id={id}
            type="file"
            accept="image/jpeg,image/png,image/heic"
            aria-describedby={`${id}-hint`}
            onChange={(event) => setFile(event.currentTarget.files?.[0])}
          />
        </div>
        <div class="actions">
          <button type="submit" disabled={!file || progress !== undefined}>
            {t('report.upload')}
          </button>
        </div>
      </form>
      {progress !== undefined && <Progress label={t('report.uploading')} value={progress} />}
      {uploaded > 0 && <StatusMessage>{t('report.uploaded', { count: uploaded })}</StatusMessage>}
      {error && <ErrorMessage title={t('errorTitle')} message={error} />}
    </section>
  );
}
