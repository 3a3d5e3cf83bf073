// "Who has my data": per recipient, what it received and when last, with terminated organisations marked (G16),
// and from any of them a PDPA Art. 3 request letter citing its transmissions (G12).
import { useId, useState } from 'react';
import type { AppError, Language, PdpaRight, RecipientSummary } from '../../../../electron/contract/index.ts';
import { ErrorView, RadioGroup } from '../../components/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useI18n, type MessageKey } from '../../i18n/index.ts';
import type { OrgStatus } from './data.ts';
import { Dialog } from './Dialog.tsx';
import { TerminatedBadge } from './Records.tsx';
import { formatDay, localName } from './model.ts';

const RIGHTS: readonly PdpaRight[] = ['view', 'copy', 'correct', 'stop', 'delete'];

interface Addressee {
  id: string;
  name: { zh: string; en: string };
  count: number;
}

function TextField(props: { label: string; value: string; onChange: (v: string) => void; multiline?: boolean; autoComplete?: string }) {
  const id = useId();
  return (
    <div className="tool-field history-field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea
          id={id}
          rows={3}
          value={props.value}
          onChange={(e) => {
            props.onChange(e.target.value);
          }}
        />
      ) : (
        <input
          id={id}
          type="text"
          value={props.value}
          autoComplete={props.autoComplete}
          onChange={(e) => {
            props.onChange(e.target.value);
          }}
        />
      )}
    </div>
  );
}

function PdpaDialog(props: { addressee: Addressee; onClose: () => void; onSaved: (message: string) => void }) {
  const { t, language } = useI18n();
  const [rights, setRights] = useState<PdpaRight[]>(['view', 'copy']);
  const [letterLanguage, setLetterLanguage] = useState<Language>(language);
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [contact, setContact] = useState('');
  const [correction, setCorrection] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const org = localName(props.addressee.name, language);

  const toggle = (right: PdpaRight, on: boolean) => {
    setRights((current) => (on ? [...current.filter((r) => r !== right), right] : current.filter((r) => r !== right)));
  };

  const create = async () => {
    if (rights.length === 0) {
      setProblem(t('history.pdpa.pickOne'));
      return;
    }
    setProblem('');
    setBusy(true);
    setError(null);
    try {
      const requester = {
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(contact.trim() ? { contact: contact.trim() } : {}),
      };
      const saved = await invoke('history:pdpa-letter', {
        organisationId: props.addressee.id,
        rights,
        language: letterLanguage,
        requester,
        ...(rights.includes('correct') && correction.trim() ? { correction: correction.trim() } : {}),
        ...((rights.includes('stop') || rights.includes('delete')) && reason.trim() ? { reason: reason.trim() } : {}),
      });
      props.onSaved(
        saved.canceled ? t('history.export.canceled') : t('history.pdpa.saved', { path: saved.path ?? '', count: saved.transmissions }),
      );
      props.onClose();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('history.pdpa.title', { org })} onClose={props.onClose} testId="history-pdpa" className="history-pdpa">
      <p>{t('history.pdpa.intro', { count: props.addressee.count })}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <fieldset className="radio-group history-rights">
          <legend>{t('history.pdpa.rights')}</legend>
          {RIGHTS.map((r) => {
            const id = `pdpa-right-${r}`;
            return (
              <div className="radio-option" key={r}>
                <input
                  id={id}
                  type="checkbox"
                  name="rights"
                  value={r}
                  checked={rights.includes(r)}
                  onChange={(e) => {
                    toggle(r, e.target.checked);
                  }}
                />
                <label htmlFor={id}>{t(`history.pdpa.right.${r}` as MessageKey)}</label>
              </div>
            );
          })}
          <p className="radio-hint">{t('history.pdpa.deadlines')}</p>
        </fieldset>
        <TextField label={t('history.pdpa.name')} value={name} onChange={setName} autoComplete="name" />
        <TextField label={t('history.pdpa.address')} value={address} onChange={setAddress} autoComplete="street-address" />
        <TextField label={t('history.pdpa.contact')} value={contact} onChange={setContact} autoComplete="email" />
        {rights.includes('correct') && <TextField label={t('history.pdpa.correction')} value={correction} onChange={setCorrection} multiline />}
        {(rights.includes('stop') || rights.includes('delete')) && <TextField label={t('history.pdpa.reason')} value={reason} onChange={setReason} multiline />}
        <RadioGroup<Language>
          legend={t('history.pdpa.language')}
          name="pdpa-language"
          value={letterLanguage}
          onChange={setLetterLanguage}
          options={[
            { value: 'zh-TW', label: '中文', lang: 'zh-TW' },
            { value: 'en', label: 'English', lang: 'en' },
          ]}
        />
        <p role="alert" className="history-problem">
          {problem}
        </p>
        {error && <ErrorView variant="inline" error={error} />}
        <div className="history-actions">
          <button type="submit" className="button" disabled={busy}>
            {t('history.pdpa.create')}
          </button>
          <button type="button" className="button button-quiet" onClick={props.onClose}>
            {t('history.pdpa.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Transmissions that concern an organisation as recipient or as data provider (as the letter counts them). */
export function orgTransmissions(recipients: readonly RecipientSummary[], id: string): number {
  let n = 0;
  for (const s of recipients) {
    if (s.recipient.kind === 'service-provider' && s.recipient.id === id) n += s.transmissions;
    else for (const d of s.datasets) if (d.provider.id === id) n += d.count;
  }
  return n;
}

export function WhoHasMyData(props: { recipients: readonly RecipientSummary[]; orgs: ReadonlyMap<string, OrgStatus> }) {
  const { t, language, calendar } = useI18n();
  const [letterTo, setLetterTo] = useState<Addressee | null>(null);
  const [message, setMessage] = useState('');

  /** Data providers whose data reached a recipient: the self-download's sources can be asked too. */
  const providersOf = (s: RecipientSummary): Addressee[] => {
    const m = new Map<string, Addressee>();
    for (const d of s.datasets) {
      if (!m.has(d.provider.id)) m.set(d.provider.id, { id: d.provider.id, name: d.provider.name, count: orgTransmissions(props.recipients, d.provider.id) });
    }
    return [...m.values()];
  };

  return (
    <section aria-labelledby="history-who" className="history-who" data-testid="history-who">
      <h2 id="history-who">{t('history.who.title')}</h2>
      <p>{t('history.who.intro')}</p>
      {props.recipients.length === 0 ? (
        <p className="status-note">{t('history.who.none')}</p>
      ) : (
        <ul className="history-who-list">
          {props.recipients.map((s) => {
            const id = s.recipient.kind === 'self' ? 'self' : s.recipient.id;
            const terminated = s.recipient.kind === 'service-provider' && props.orgs.get(id) === 'terminated';
            const title = s.recipient.kind === 'self' ? t('history.self') : localName(s.recipient.name, language);
            return (
              <li key={id} className={`history-who-entry${terminated ? ' history-who-terminated' : ''}`} data-recipient={id}>
                <h3>
                  {title}
                  {terminated && <TerminatedBadge />}
                </h3>
                {terminated && (
                  <p className="history-warning" role="note">
                    {t('history.terminatedWarning')}
                  </p>
                )}
                <dl className="facts">
                  <dt>{t('history.who.transmissions')}</dt>
                  <dd>{s.transmissions}</dd>
                  <dt>{t('history.who.last')}</dt>
                  <dd>{formatDay(s.last_time, language, calendar)}</dd>
                  <dt>{t('history.who.datasets')}</dt>
                  <dd>
                    <ul className="plain-list">
                      {s.datasets.map((d) => (
                        <li key={d.id}>
                          {t('history.who.datasetLine', {
                            dataset: localName(d.name, language),
                            provider: localName(d.provider.name, language),
                            count: d.count,
                            date: formatDay(d.last_time, language, calendar),
                          })}
                        </li>
                      ))}
                    </ul>
                  </dd>
                </dl>
                <div className="history-actions">
                  {s.recipient.kind === 'service-provider' ? (
                    <button
                      type="button"
                      className="button"
                      onClick={() => {
                        if (s.recipient.kind === 'service-provider') setLetterTo({ id, name: s.recipient.name, count: orgTransmissions(props.recipients, id) });
                      }}
                    >
                      {t('history.who.request', { org: title })}
                    </button>
                  ) : (
                    providersOf(s).map((p) => (
                      <button
                        key={p.id}
                        type="button"
                        className="button button-quiet"
                        onClick={() => {
                          setLetterTo(p);
                        }}
                      >
                        {t('history.who.requestProvider', { org: localName(p.name, language) })}
                      </button>
                    ))
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <p role="status" className="history-live" data-testid="history-pdpa-status">
        {message}
      </p>
      {letterTo && (
        <PdpaDialog
          addressee={letterTo}
          onSaved={setMessage}
          onClose={() => {
            setLetterTo(null);
          }}
        />
      )}
    </section>
  );
}
