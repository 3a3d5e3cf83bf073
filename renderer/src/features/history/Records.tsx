// The records as a timeline (grouped by Taipei day) or a table, each with its detail: receipt id, tx_id, terms hash (G14).
import { useState } from 'react';
import { Link } from 'react-router';
import type { HistoryRecord } from '../../../../electron/contract/index.ts';
import { RadioGroup } from '../../components/index.ts';
import { hasMessage, useI18n, type MessageKey } from '../../i18n/index.ts';
import type { OrgStatus } from './data.ts';
import { Dialog } from './Dialog.tsx';
import { formatDay, formatInstant, localName, recipientId, taipeiDay } from './model.ts';

export type RecordsView = 'timeline' | 'table';

function RecipientCell(props: { record: HistoryRecord; orgs: ReadonlyMap<string, OrgStatus> }) {
  const { t, language } = useI18n();
  const r = props.record.recipient;
  if (r.kind === 'self') return <>{t('history.self')}</>;
  return (
    <>
      {localName(r.name, language)}
      {props.orgs.get(r.id) === 'terminated' && <TerminatedBadge />}
    </>
  );
}

export function TerminatedBadge() {
  const { t } = useI18n();
  return (
    <span className="history-badge history-badge-terminated" data-testid="history-terminated">
      {t('history.terminated')}
    </span>
  );
}

function ResultBadge(props: { result: HistoryRecord['result'] }) {
  const { t } = useI18n();
  return <span className={`history-result history-result-${props.result}`}>{t(`history.result.${props.result}` as MessageKey)}</span>;
}

function DetailButton(props: { record: HistoryRecord; onOpen: (r: HistoryRecord) => void }) {
  const { t, language } = useI18n();
  return (
    <button
      type="button"
      className="button button-quiet history-detail-button"
      aria-label={t('history.records.detailOf', { dataset: localName(props.record.dataset.name, language) })}
      onClick={() => {
        props.onOpen(props.record);
      }}
    >
      {t('history.records.detail')}
    </button>
  );
}

function Timeline(props: { records: readonly HistoryRecord[]; orgs: ReadonlyMap<string, OrgStatus>; onOpen: (r: HistoryRecord) => void }) {
  const { t, language, calendar } = useI18n();
  const days: { day: string; first: string; records: HistoryRecord[] }[] = [];
  for (const r of props.records) {
    const day = taipeiDay(r.time);
    const last = days.at(-1);
    if (last?.day === day) last.records.push(r);
    else days.push({ day, first: r.time, records: [r] });
  }
  return (
    <ol className="history-timeline" data-testid="history-timeline">
      {days.map((d) => (
        <li key={d.day} className="history-day">
          <h3 className="history-day-title">
            {formatDay(d.first, language, calendar)} <span className="history-day-count">{t('history.timeline.count', { count: d.records.length })}</span>
          </h3>
          <ul className="history-events">
            {d.records.map((r) => (
              <li key={r.id} className={`history-event history-event-${r.result}`} data-testid="history-record" data-tx-id={r.tx_id} data-seq={r.seq}>
                <p className="history-event-line">
                  <span className="history-event-time">{formatInstant(r.time, language, calendar)}</span> <ResultBadge result={r.result} />{' '}
                  <strong>{localName(r.dataset.name, language)}</strong>
                </p>
                <p className="history-event-line">
                  {t(`history.kind.${r.kind}` as MessageKey)} · {localName(r.provider.name, language)} → <RecipientCell record={r} orgs={props.orgs} />
                </p>
                <DetailButton record={r} onOpen={props.onOpen} />
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

function Table(props: { records: readonly HistoryRecord[]; orgs: ReadonlyMap<string, OrgStatus>; onOpen: (r: HistoryRecord) => void }) {
  const { t, language, calendar } = useI18n();
  return (
    <div className="history-table-wrap">
      <table className="data-table history-table" data-testid="history-table">
        <caption>{t('history.records.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('history.col.time')}</th>
            <th scope="col">{t('history.col.dataset')}</th>
            <th scope="col">{t('history.col.provider')}</th>
            <th scope="col">{t('history.col.recipient')}</th>
            <th scope="col">{t('history.col.subject')}</th>
            <th scope="col">{t('history.col.result')}</th>
            <th scope="col">{t('history.col.tx')}</th>
            <th scope="col">{t('history.col.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {props.records.map((r) => (
            <tr key={r.id} data-testid="history-record" data-tx-id={r.tx_id} data-seq={r.seq}>
              <td>{formatInstant(r.time, language, calendar)}</td>
              <td>{localName(r.dataset.name, language)}</td>
              <td>
                {localName(r.provider.name, language)}
                {props.orgs.get(r.provider.id) === 'terminated' && <TerminatedBadge />}
              </td>
              <td>
                <RecipientCell record={r} orgs={props.orgs} />
              </td>
              <td>
                {r.subject === null ? '—' : <>{r.subject.masked_id} ({t(`history.subject.${r.subject.type}` as MessageKey)})</>}
              </td>
              <td>
                <ResultBadge result={r.result} />
              </td>
              <td>
                <code className="history-tx">{r.tx_id}</code>
              </td>
              <td>
                <DetailButton record={r} onOpen={props.onOpen} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RecordDetail(props: { record: HistoryRecord; orgs: ReadonlyMap<string, OrgStatus>; onClose: () => void }) {
  const { t, language, calendar } = useI18n();
  const r = props.record;
  // The identity feature names the methods it offers; an id it does not know (or an older one) shows as recorded.
  const methodName = (id: string) => {
    const key = `identity.method.${id}`;
    return hasMessage(key) ? t(key) : id;
  };
  const recipientTerminated = r.recipient.kind === 'service-provider' && props.orgs.get(recipientId(r.recipient)) === 'terminated';
  return (
    <Dialog title={t('history.detail.title')} onClose={props.onClose} testId="history-detail">
      {recipientTerminated && (
        <p className="history-warning" role="note">
          {t('history.terminatedWarning')}
        </p>
      )}
      <dl className="facts history-detail-facts">
        <dt>{t('history.detail.time')}</dt>
        <dd>{formatInstant(r.time, language, calendar)}</dd>
        <dt>{t('history.detail.kind')}</dt>
        <dd>{t(`history.kind.${r.kind}` as MessageKey)}</dd>
        <dt>{t('history.detail.result')}</dt>
        <dd>
          <ResultBadge result={r.result} /> ({r.code})
        </dd>
        <dt>{t('history.detail.dataset')}</dt>
        <dd>
          {localName(r.dataset.name, language)} <code>{r.dataset.id}</code>
        </dd>
        <dt>{t('history.detail.provider')}</dt>
        <dd>
          {localName(r.provider.name, language)} <code>{r.provider.id}</code>
          {props.orgs.get(r.provider.id) === 'terminated' && <TerminatedBadge />}
        </dd>
        <dt>{t('history.detail.service')}</dt>
        <dd>{r.service ? localName(r.service.name, language) : t('history.detail.none')}</dd>
        <dt>{t('history.detail.recipient')}</dt>
        <dd>
          <RecipientCell record={r} orgs={props.orgs} />
          {r.recipient.kind === 'service-provider' && <code> {r.recipient.id}</code>}
        </dd>
        <dt>{t('history.detail.subject')}</dt>
        <dd>
          {r.subject === null ? '—' : <>{r.subject.masked_id} ({t(`history.subject.${r.subject.type}` as MessageKey)})</>}
        </dd>
        <dt>{t('history.detail.method')}</dt>
        <dd>
          {methodName(r.method)}{r.assurance_level === null ? '' : ` (${r.assurance_level})`}
        </dd>
        <dt>{t('history.detail.tx')}</dt>
        <dd>
          <code data-testid="history-detail-tx">{r.tx_id}</code>
        </dd>
        <dt>{t('history.detail.receipt')}</dt>
        <dd data-testid="history-detail-receipt">
          {r.receipt_id ? (
            <>
              <code>{r.receipt_id}</code>{' '}
              {/* The consent feature's receipt screen shows it, with its PDF. */}
              <Link to={`/my-data/receipts/${encodeURIComponent(r.receipt_id)}`} data-testid="history-detail-receipt-link">
                {t('history.detail.openReceipt')}
              </Link>
            </>
          ) : (
            t('history.detail.noReceipt')
          )}
        </dd>
        {r.import && (
          <>
            <dt>{t('history.detail.importSource')}</dt>
            <dd data-testid="history-detail-import-source">{t(`history.import.source.${r.import.source}` as MessageKey)}</dd>
            <dt>{t('history.detail.importVerdict')}</dt>
            <dd data-testid="history-detail-import-verdict" data-verdict={r.import.verdict}>
              {t(`history.import.verdict.${r.import.verdict}` as MessageKey)}
            </dd>
            <dt>{t('history.detail.importFile')}</dt>
            <dd>{r.import.file_name}</dd>
            <dt>{t('history.detail.importHash')}</dt>
            <dd>
              <code className="history-hash">{r.import.file_sha256}</code>
              <span className="history-help"> {t('history.detail.importHashHelp')}</span>
            </dd>
          </>
        )}
        <dt>{t('history.detail.terms')}</dt>
        <dd>{r.terms_sha256 ? <code className="history-hash">{r.terms_sha256}</code> : t('history.detail.none')}</dd>
        <dt>{t('history.detail.seq')}</dt>
        <dd>{r.seq}</dd>
        <dt>{t('history.detail.recordedAt')}</dt>
        <dd>{formatInstant(r.recorded_at, language, calendar)}</dd>
        <dt>{t('history.detail.recordId')}</dt>
        <dd>
          <code>{r.id}</code>
        </dd>
      </dl>
      <button type="button" className="button" onClick={props.onClose}>
        {t('history.detail.close')}
      </button>
    </Dialog>
  );
}

export function Records(props: {
  records: readonly HistoryRecord[];
  total: number;
  orgs: ReadonlyMap<string, OrgStatus>;
  view: RecordsView;
  onView: (view: RecordsView) => void;
  onMore: () => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState<HistoryRecord | null>(null);
  const remaining = props.total - props.records.length;
  return (
    <section aria-labelledby="history-records" className="history-records">
      <h2 id="history-records">{t('history.records.title')}</h2>
      <RadioGroup<RecordsView>
        legend={t('history.view.legend')}
        name="history-view"
        value={props.view}
        options={[
          { value: 'timeline', label: t('history.view.timeline') },
          { value: 'table', label: t('history.view.table') },
        ]}
        onChange={props.onView}
      />
      {props.records.length === 0 ? (
        <p className="status-note">{t('history.records.none')}</p>
      ) : props.view === 'timeline' ? (
        <Timeline records={props.records} orgs={props.orgs} onOpen={setOpen} />
      ) : (
        <Table records={props.records} orgs={props.orgs} onOpen={setOpen} />
      )}
      {props.records.length > 0 && (
        <p className="history-shown">
          {t('history.records.shown', { shown: props.records.length, total: props.total })}{' '}
          {remaining > 0 && (
            <button type="button" className="button button-quiet" onClick={props.onMore}>
              {t('history.records.more', { count: Math.min(remaining, 50) })}
            </button>
          )}
        </p>
      )}
      {open && (
        <RecordDetail
          record={open}
          orgs={props.orgs}
          onClose={() => {
            setOpen(null);
          }}
        />
      )}
    </section>
  );
}
