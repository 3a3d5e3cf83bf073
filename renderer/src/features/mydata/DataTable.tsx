// A dataset's JSON as tables: labelled fields when the file names them (MyData's fields + data), any JSON otherwise; text only, nothing executed.
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/index.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Labelled {
  fields: { name: string; label_zh?: string; label_en?: string }[];
  data: Record<string, Json>;
}

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelled(value: unknown): Labelled | null {
  if (!isRecord(value) || !Array.isArray(value.fields) || !isRecord(value.data)) return null;
  const fields = value.fields.filter((f): f is { name: string } => isRecord(f) && typeof f.name === 'string') as Labelled['fields'];
  return { fields, data: value.data };
}

function Value(props: { value: Json; depth: number }): ReactNode {
  const { t } = useI18n();
  const { value, depth } = props;
  if (value === null || value === '') return <span className="mydata-empty">{t('mydata.table.empty')}</span>;
  if (typeof value !== 'object') return String(value);
  // Deeply nested JSON is shown as text rather than ever more tables.
  if (depth > 3) return <code>{JSON.stringify(value)}</code>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="mydata-empty">{t('mydata.table.empty')}</span>;
    if (value.every((v) => isRecord(v))) {
      const rows = value as Record<string, Json>[];
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      return (
        <table className="mydata-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>
                    <Value value={row[c] ?? null} depth={depth + 1} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    return (
      <ul className="mydata-values">
        {value.map((v, i) => (
          <li key={i}>
            <Value value={v} depth={depth + 1} />
          </li>
        ))}
      </ul>
    );
  }
  return <KeyValueTable entries={Object.entries(value).map(([k, v]) => [k, v])} depth={depth + 1} />;
}

function KeyValueTable(props: { entries: [string, Json][]; depth: number; caption?: string }) {
  const { t } = useI18n();
  return (
    <table className="mydata-table">
      {props.caption !== undefined && <caption>{props.caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('mydata.table.field')}</th>
          <th scope="col">{t('mydata.table.value')}</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td>
              <Value value={value} depth={props.depth} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DataTable(props: { name: string; text: string }) {
  const { t, language } = useI18n();
  let parsed: Json;
  try {
    parsed = JSON.parse(props.text) as Json;
  } catch {
    return (
      <div className="mydata-raw">
        <p>{t('mydata.table.notJson')}</p>
        <pre>{props.text}</pre>
      </div>
    );
  }
  const caption = t('mydata.table.caption', { name: props.name });
  const shaped = labelled(parsed);
  if (shaped) {
    const entries: [string, Json][] = shaped.fields.map((f) => [(language === 'zh-TW' ? f.label_zh : f.label_en) ?? f.name, shaped.data[f.name] ?? null]);
    return <KeyValueTable entries={entries} depth={1} caption={caption} />;
  }
  if (isRecord(parsed)) return <KeyValueTable entries={Object.entries(parsed)} depth={1} caption={caption} />;
  return (
    <div>
      <p>{caption}</p>
      <Value value={parsed} depth={1} />
    </div>
  );
}
