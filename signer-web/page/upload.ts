// The contract upload page: sends the chosen file's bytes to the bot once, and shows the report as plain text.
const form = document.getElementById('upload-form') as HTMLFormElement;
const input = document.getElementById('file') as HTMLInputElement;
const report = document.getElementById('report') as HTMLPreElement;
const error = document.getElementById('error') as HTMLElement;
const token = location.pathname.split('/').pop() ?? '';

function showError(message: string): void {
  error.textContent = message;
  error.hidden = false;
  error.scrollIntoView({ block: 'center', behavior: 'instant' });
  error.focus({ preventScroll: true });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  error.hidden = true;
  const file = input.files?.[0];
  if (!file) return showError('Choose a file first.');
  if (file.size > 1024 * 1024) return showError('That file is larger than 1 MiB.');
  void (async () => {
    const response = await fetch(`/api/contracts/${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) },
      body: await file.arrayBuffer(),
    });
    const body = (await response.json()) as { report?: string; error?: { message: string } };
    if (!response.ok || !body.report) return showError(body.error?.message ?? 'The upload failed.');
    form.hidden = true;
    report.textContent = body.report;
    report.hidden = false;
  })().catch(() => showError('The upload failed; check your connection and try again.'));
});
