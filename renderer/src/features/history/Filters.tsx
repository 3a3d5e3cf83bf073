// The history's filters: date range (Taipei days, shown back in the person's calendar), recipient, data provider,
// dataset, result and subject type. Every change applies at once; the count is announced politely.
import { useId } from 'react';
import type { HistoryState } from '../../../../electron/contract/index.ts';
import { useI18n, type MessageKey } from '../../i18n/index.ts';
import { EMPTY_FILTER, formatDateInput, isFiltered, localName, type FilterForm } from './model.ts';

function SelectField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  name: string;
}) {
  const id = useId();
  const { t } = useI18n();
  return (
    <div className="tool-field history-field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        onChange={(e) => {
          props.onChange(e.target.value);
        }}
      >
        <option value="">{t('history.filters.any')}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function DateField(props: { label: string; value: string; min?: string; max?: string; onChange: (value: string) => void; name: string }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const { t, language, calendar } = useI18n();
  return (
    <div className="tool-field history-field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type="date"
        value={props.value}
        min={props.min}
        max={props.max}
        aria-describedby={props.value ? hintId : undefined}
        onChange={(e) => {
          props.onChange(e.target.value);
        }}
      />
      <span id={hintId} className="history-field-hint">
        {props.value ? t('history.filters.dateHint', { date: formatDateInput(props.value, language, calendar) }) : ''}
      </span>
    </div>
  );
}

export function Filters(props: { form: FilterForm; onChange: (form: FilterForm) => void; facets: HistoryState['facets']; total: number }) {
  const { t, language } = useI18n();
  const { form } = props;
  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) => {
    props.onChange({ ...form, [key]: value });
  };
  const named = (list: readonly { id: string; name: { zh: string; en: string } }[]) =>
    list.map((x) => ({ value: x.id, label: x.id === 'self' ? t('history.self') : localName(x.name, language) }));
  const results = (['success', 'partial', 'refused', 'failure'] as const).map((r) => ({ value: r, label: t(`history.result.${r}` as MessageKey) }));
  const subjects = (['natural', 'legal'] as const).map((s) => ({ value: s, label: t(`history.subject.${s}` as MessageKey) }));

  return (
    <section aria-labelledby="history-filters" className="history-filters">
      <h2 id="history-filters">{t('history.filters.title')}</h2>
      <form
        className="history-filter-grid"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <DateField name="from" label={t('history.filters.from')} value={form.from} max={form.until || undefined} onChange={(v) => { set('from', v); }} />
        <DateField name="until" label={t('history.filters.until')} value={form.until} min={form.from || undefined} onChange={(v) => { set('until', v); }} />
        <SelectField name="recipient" label={t('history.filters.recipient')} value={form.recipient} options={named(props.facets.recipients)} onChange={(v) => { set('recipient', v); }} />
        <SelectField name="provider" label={t('history.filters.provider')} value={form.provider} options={named(props.facets.providers)} onChange={(v) => { set('provider', v); }} />
        <SelectField name="dataset" label={t('history.filters.dataset')} value={form.dataset} options={named(props.facets.datasets)} onChange={(v) => { set('dataset', v); }} />
        <SelectField name="result" label={t('history.filters.result')} value={form.result} options={results} onChange={(v) => { set('result', v as FilterForm['result']); }} />
        <SelectField
          name="subject_type"
          label={t('history.filters.subjectType')}
          value={form.subject_type}
          options={subjects}
          onChange={(v) => {
            set('subject_type', v as FilterForm['subject_type']);
          }}
        />
        <div className="tool-field history-field history-field-actions">
          <button
            type="button"
            className="button button-quiet"
            disabled={!isFiltered(form)}
            onClick={() => {
              props.onChange(EMPTY_FILTER);
            }}
          >
            {t('history.filters.clear')}
          </button>
        </div>
      </form>
      <p role="status" className="history-count" data-testid="history-count">
        {t('history.filters.count', { count: props.total })}
      </p>
    </section>
  );
}
