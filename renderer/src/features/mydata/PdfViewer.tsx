// A package's PDF inside the app: one page at a time on a canvas with pdf.js's text layer (selectable, read by screen
// readers), previous/next and zoom by button or key, a loading state, and a bilingual error that offers Save instead.
// pdf.js itself is loaded on first use (./pdf/engine.ts is its own chunk).
import { useEffect, useId, useRef, useState, type KeyboardEvent, type SyntheticEvent } from 'react';
import type { AppError } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView } from '../../components/index.ts';
import { loadCatalogue, translate, useI18n, type MessageKey } from '../../i18n/index.ts';
import { useSettings } from '../../app/settings.tsx';
import { resolveTheme, useSystemAppearance } from '../../app/theme.ts';
import type { OpenedPdf, PageColors, PdfFailure } from './pdf/engine.ts';
import { NationalIdField } from './NationalIdField.tsx';

/** The high-contrast theme's background and text (theme.css): pages are recoloured to them, as the rest of the app is. */
const HIGH_CONTRAST_PAGE: PageColors = { background: '#000000', foreground: '#ffffff' };

/** Zoom steps of +/- (1 = actual size); "fit width" may sit between two. */
const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;

function nextZoom(current: number, direction: 1 | -1): number {
  const steps = direction === 1 ? ZOOM_STEPS.filter((z) => z > current + 0.001) : ZOOM_STEPS.filter((z) => z < current - 0.001).reverse();
  return steps[0] ?? current;
}

const FAILURE_MESSAGES: Record<PdfFailure | 'viewer', { code: string; key: MessageKey }> = {
  password: { code: 'RENDERER_PDF_PASSWORD', key: 'mydata.pdf.password' },
  unreadable: { code: 'RENDERER_PDF_UNREADABLE', key: 'mydata.pdf.unreadable' },
  viewer: { code: 'RENDERER_PDF_VIEWER_UNAVAILABLE', key: 'mydata.pdf.viewerUnavailable' },
};

/** A failure the renderer detects (pdf.js could not open or draw the file), in both languages like main's AppErrors. */
function rendererFailure(kind: PdfFailure | 'viewer'): AppError {
  const { code, key } = FAILURE_MESSAGES[kind];
  return { code, message_zh: translate('zh-TW', key), message_en: translate('en', key), retryable: false };
}

type State =
  | { kind: 'loading' }
  | { kind: 'password'; incorrect: boolean; answer: (password: string | null) => void }
  | { kind: 'ready'; pdf: OpenedPdf }
  | { kind: 'error'; error: AppError };

export function PdfViewer(props: { id: string; name: string; label: string; onSave: () => void }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [page, setPage] = useState(1);
  const [size, setSize] = useState<{ fit: true } | { zoom: number }>({ fit: true });
  const [shownZoom, setShownZoom] = useState<number | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [width, setWidth] = useState(0);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const { id, name } = props;
  const { settings } = useSettings();
  const highContrast = resolveTheme(settings.theme, useSystemAppearance()) === 'high-contrast';

  // Bytes from main, then pdf.js (loaded now, not with the app); the document and its worker go when the viewer does.
  useEffect(() => {
    const gone = new AbortController();
    let opened: OpenedPdf | null = null;
    const fail = (error: AppError) => {
      if (!gone.signal.aborted) setState({ kind: 'error', error });
    };
    void (async () => {
      let bytes: Uint8Array;
      // A failure below is told in both languages: have English loaded whatever the screen's language.
      const bothLanguages = loadCatalogue('en').catch(() => undefined);
      try {
        bytes = (await invoke('package:read-pdf', { id, name })).bytes;
        await bothLanguages;
      } catch (error) {
        fail(toAppError(error));
        return;
      }
      let engine: typeof import('./pdf/engine.ts');
      try {
        engine = await import('./pdf/engine.ts');
      } catch {
        fail(rendererFailure('viewer'));
        return;
      }
      try {
        // An ID-encrypted PDF (as the official website sends them) asks the person for the ID: pdf.js gets it in memory only.
        opened = await engine.openPdf(bytes, (incorrect) =>
          new Promise<string | null>((resolve) => {
            if (gone.signal.aborted) resolve(null);
            else setState({ kind: 'password', incorrect, answer: resolve });
          }),
        );
      } catch (error) {
        fail(rendererFailure(engine.failureOf(error)));
        return;
      }
      if (gone.signal.aborted) void opened.destroy();
      else setState({ kind: 'ready', pdf: opened });
    })();
    return () => {
      gone.abort();
      void opened?.destroy();
    };
  }, [id, name]);

  // The width "fit width" fills follows the viewer's own width.
  const ready = state.kind === 'ready';
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!ready || !scroller) return;
    const measure = () => {
      const style = getComputedStyle(scroller);
      setWidth(Math.floor(scroller.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [ready]);

  const pdf = state.kind === 'ready' ? state.pdf : null;
  const zoom = 'zoom' in size ? size.zoom : null;
  // The width matters only while fitting it; a fixed zoom is not redrawn when the window is resized.
  const fitWidth = zoom === null ? width : -1;
  useEffect(() => {
    const canvas = canvasRef.current;
    const text = textRef.current;
    if (!pdf || !canvas || !text || fitWidth === 0) return;
    const controller = new AbortController();
    setDrawing(true);
    pdf.draw(page, zoom === null ? { fitWidth } : { zoom }, canvas, text, controller.signal, highContrast ? HIGH_CONTRAST_PAGE : null).then(
      (drawn) => {
        if (controller.signal.aborted) return;
        setShownZoom(drawn.zoom);
        setDrawing(false);
      },
      () => {
        // A cancelled drawing rejects too; only a page that could not be drawn is a failure.
        if (!controller.signal.aborted) setState({ kind: 'error', error: rendererFailure('unreadable') });
      },
    );
    return () => controller.abort();
  }, [pdf, page, zoom, fitWidth, highContrast]);

  if (state.kind === 'loading') {
    return (
      <p role="status" className="mydata-pdf-loading">
        {t('mydata.pdf.loading')}
      </p>
    );
  }
  if (state.kind === 'password') {
    return <PdfPasswordForm name={props.label} incorrect={state.incorrect} answer={(password) => {
      setState({ kind: 'loading' });
      state.answer(password);
    }} />;
  }
  if (state.kind === 'error') {
    return (
      <div className="mydata-pdf-error">
        <ErrorView variant="inline" error={state.error} />
        <button type="button" className="button" onClick={props.onSave}>
          {t('mydata.pdf.saveInstead')}
        </button>
      </div>
    );
  }

  const count = state.pdf.pageCount;
  const go = (target: number) => setPage(Math.min(count, Math.max(1, target)));
  const zoomBy = (direction: 1 | -1) => setSize({ zoom: nextZoom(shownZoom ?? 1, direction) });
  const onKeyDown = (event: KeyboardEvent) => {
    const actions: Record<string, () => void> = {
      PageDown: () => go(page + 1),
      PageUp: () => go(page - 1),
      Home: () => go(1),
      End: () => go(count),
      '+': () => zoomBy(1),
      '=': () => zoomBy(1),
      '-': () => zoomBy(-1),
      '0': () => setSize({ fit: true }),
    };
    const action = event.altKey || event.ctrlKey || event.metaKey ? undefined : actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };
  const atFirst = page <= 1;
  const atLast = page >= count;

  return (
    <div className="mydata-pdf" data-testid="pdf-viewer" data-page={page} data-pages={count} data-drawing={drawing}>
      <div className="mydata-pdf-controls" role="group" aria-label={t('mydata.pdf.controls', { name: props.label })}>
        {/* aria-disabled rather than disabled, so focus stays on the button when it reaches the first or last page. */}
        <button type="button" className="button button-quiet" aria-disabled={atFirst} onClick={() => !atFirst && go(page - 1)}>
          {t('mydata.pdf.previous')}
        </button>
        <span role="status" className="mydata-pdf-position">
          {t('mydata.pdf.pageOf', { page, count })}
        </span>
        <button type="button" className="button button-quiet" aria-disabled={atLast} onClick={() => !atLast && go(page + 1)}>
          {t('mydata.pdf.next')}
        </button>
        <button type="button" className="button button-quiet" aria-label={t('mydata.pdf.zoomOut')} onClick={() => zoomBy(-1)}>
          −
        </button>
        <span className="mydata-pdf-zoom">{shownZoom === null ? '' : t('mydata.pdf.zoom', { percent: Math.round(shownZoom * 100) })}</span>
        <button type="button" className="button button-quiet" aria-label={t('mydata.pdf.zoomIn')} onClick={() => zoomBy(1)}>
          +
        </button>
        <button type="button" className="button button-quiet" aria-pressed={'fit' in size} onClick={() => setSize({ fit: true })}>
          {t('mydata.pdf.fitWidth')}
        </button>
      </div>
      <p id={hintId} className="mydata-hint">
        {t('mydata.pdf.keys')}
      </p>
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- page keys (PageUp/PageDown, Home/End, +/-, 0) on the focused page; each also has a button above */}
      <div
        ref={scrollerRef}
        className="mydata-pdf-scroller"
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a zoomed page can be wider than the viewer: the region must take focus to be scrolled by keyboard (WCAG 2.1.1)
        tabIndex={0}
        role="region"
        aria-label={t('mydata.pdf.page', { page, count, name: props.label })}
        aria-describedby={hintId}
        aria-busy={drawing}
        onKeyDown={onKeyDown}
      >
        <div className="mydata-pdf-page">
          <canvas ref={canvasRef} className="mydata-pdf-canvas" aria-hidden="true" data-testid="pdf-canvas" />
          <div ref={textRef} className="mydata-pdf-text" lang={state.pdf.language ?? undefined} data-testid="pdf-text" />
        </div>
      </div>
    </div>
  );
}

/** The open-password prompt: the person types their national ID; it is handed to pdf.js and forgotten (never sent to main or stored). */
function PdfPasswordForm(props: { name: string; incorrect: boolean; answer: (password: string | null) => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const password = value;
    setValue('');
    props.answer(password);
  };
  return (
    <form className="mydata-pdf-password" data-testid="pdf-password" onSubmit={submit}>
      <p>{t('mydata.pdf.passwordAsk', { name: props.name })}</p>
      <NationalIdField
        label={t('mydata.pdf.passwordLabel')}
        hint={t('mydata.pdf.passwordHint')}
        value={value}
        onChange={setValue}
        error={props.incorrect ? t('mydata.pdf.passwordWrong') : null}
        // eslint-disable-next-line jsx-a11y/no-autofocus -- the prompt replaces the page the person just asked to open
        autoFocus
      />
      <button type="submit" className="button">
        {t('mydata.pdf.passwordOpen')}
      </button>{' '}
      <button type="button" className="button button-quiet" onClick={() => props.answer(null)}>
        {t('mydata.pdf.passwordCancel')}
      </button>
    </form>
  );
}
