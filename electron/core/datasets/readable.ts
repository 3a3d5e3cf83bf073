// The readable views of the known datasets (household, insurance, income, cards): each reads its layout or gives up.
import type { Cell, DatasetView, DateValue, GenericTable } from '../../contract/datasets.ts';
import { dateOrNull } from './dates.ts';
import { taipeiDay } from '../../common/time.ts';
import type { DatasetViewKind } from './registry.ts';
import { amountOf, isObj, str, textOrNull, type Json, type Obj } from './tables.ts';

function address(a: Json | undefined): string | null {
  if (!isObj(a)) return textOrNull(a);
  const neighbor = textOrNull(a.neighbor);
  const parts = [str(a.from_site_id), str(a.village), neighbor ? `${String(Number(neighbor))}${str(a.neighbor_char) || '鄰'}` : '', str(a.street_doorplate)];
  return textOrNull(parts.join(''));
}

type Member = Extract<DatasetView, { kind: 'household' }>['members'][number];

function member(p: Obj): Member {
  return {
    name: str(p.person_name),
    relation: textOrNull(p.relationship),
    birthOrder: textOrNull(p.birth_order_sex),
    birth: dateOrNull(p.birth_yyymmdd),
    movedIn: dateOrNull(p.move_in_yyymmdd),
    marriage: textOrNull(p.marriage_code),
    education: textOrNull(p.education_mark),
  };
}

function householdPerson(json: Json): DatasetView | null {
  const root = isObj(json) && isObj(json.responseData) ? json.responseData : json;
  const p = isObj(root) ? root.personHouseholdData12 : undefined;
  if (!isObj(p) || typeof p.person_name !== 'string') return null;
  return { kind: 'household', address: address(p.householdAddress), householdId: textOrNull(p.household_id), members: [member(p)] };
}

function householdAll(json: Json): DatasetView | null {
  const root = isObj(json) && isObj(json.responseData) ? json.responseData : json;
  if (!isObj(root) || !Array.isArray(root.personHouseholdData21)) return null;
  const people = root.personHouseholdData21.filter(isObj);
  if (people.length === 0 || !people.every((p) => typeof p.person_name === 'string')) return null;
  const basic = isObj(root.householdBasicData21) ? root.householdBasicData21 : {};
  // The head of household first, as a household register lists them.
  const members = people.map(member).sort((a, b) => Number(b.relation === '戶長') - Number(a.relation === '戶長'));
  return { kind: 'household', address: address(basic.householdAddress), householdId: textOrNull(basic.household_id), members };
}

function column(table: GenericTable, ...names: string[]): number {
  return table.columns.findIndex((c) => names.includes(c));
}

function insurance(table: GenericTable, scheme: 'labour' | 'health', now: Date): DatasetView | null {
  const unit = column(table, '投保單位名稱', '投保單位');
  const from = column(table, '加保日期');
  if (unit < 0 || from < 0) return null;
  const to = column(table, '退保日期');
  const amount = scheme === 'labour' ? column(table, '投保薪資', '月投保薪資') : column(table, '每月保費');
  const category = column(table, '投保類別', '投保身分', '被保險人類別');
  const asOf = taipeiDay(now);
  const date = (row: Cell[], i: number): DateValue | null => (i < 0 ? null : row[i]?.date ? { raw: row[i].text, iso: row[i].date } : null);
  const periods = table.rows.map((r) => ({
    unit: r[unit]?.text ?? '',
    category: category < 0 ? null : textOrNull(r[category]?.text),
    amount: amount < 0 ? null : (r[amount]?.number ?? null),
    from: date(r, from),
    to: date(r, to),
  }));
  // Overlapping periods (two employers at once) count once: days are collected as a set of covered days.
  const covered = new Set<number>();
  for (const p of periods) {
    if (!p.from?.iso) continue;
    const start = Date.parse(`${p.from.iso}T00:00:00Z`);
    const end = Date.parse(`${(p.to?.iso ?? asOf) < p.from.iso ? p.from.iso : (p.to?.iso ?? asOf)}T00:00:00Z`);
    for (let t = start; t <= end; t += 86_400_000) covered.add(t);
  }
  // No period with a start date (the provider left the enrolment date out, a field not consented): the total cannot be
  // computed, which is not the same as zero days.
  const totalDays = periods.some((p) => p.from?.iso) ? covered.size : null;
  return { kind: 'insurance', scheme, periods, totalDays, asOf };
}

function income(table: GenericTable): DatasetView | null {
  const year = column(table, '所得年度', '年度');
  const type = column(table, '所得類別', '所得類別名稱');
  const payer = column(table, '扣繳單位名稱', '給付單位名稱');
  const amount = column(table, '給付總額', '所得額', '所得總額');
  if (payer < 0 || amount < 0) return null;
  const withheld = column(table, '扣繳稅額');
  const rows = table.rows.map((r) => {
    const y = year < 0 ? null : (r[year]?.number ?? null);
    return {
      year: y !== null && Number.isInteger(y) ? y : null,
      type: type < 0 ? '' : (r[type]?.text ?? ''),
      payer: r[payer]?.text ?? '',
      amount: r[amount]?.number ?? null,
      withheld: withheld < 0 ? null : (r[withheld]?.number ?? null),
    };
  });
  const years = new Map<number, { amount: number; withheld: number }>();
  let total = 0;
  let totalWithheld = 0;
  for (const r of rows) {
    total += r.amount ?? 0;
    totalWithheld += r.withheld ?? 0;
    if (r.year === null) continue;
    const y = years.get(r.year) ?? { amount: 0, withheld: 0 };
    y.amount += r.amount ?? 0;
    y.withheld += r.withheld ?? 0;
    years.set(r.year, y);
  }
  const byYear = [...years.entries()].sort((a, b) => a[0] - b[0]).map(([y, v]) => ({ year: y, ...v }));
  return { kind: 'income', rows, byYear, total: { amount: total, withheld: totalWithheld } };
}

type FactSpec = [key: string, zh: string, en: string, kind?: 'date' | 'amount'];

function cards(json: Json, title: string, subtitle: (o: Obj) => string | null, facts: FactSpec[]): DatasetView | null {
  const list = Array.isArray(json) ? json : isObj(json) ? Object.values(json).find((v) => Array.isArray(v)) : undefined;
  // An empty list is an answer (no vehicles, no licences), not an unknown layout.
  if (!Array.isArray(list) || !list.every(isObj) || (list.length > 0 && !list.some((o) => typeof o[title] === 'string'))) return null;
  return {
    kind: 'cards',
    cards: list.map((o) => ({
      title: str(o[title]),
      subtitle: subtitle(o),
      facts: facts
        .filter(([k]) => o[k] !== undefined && o[k] !== null && str(o[k]) !== '')
        .map(([k, zh, en, kind]) => ({
          label: { zh, en },
          text: str(o[k]),
          date: kind === 'date' ? dateOrNull(o[k] ?? null) : null,
          number: kind === 'amount' ? amountOf(o[k]) : null,
        })),
    })),
  };
}

/** The readable view of a known dataset kind, or null when the file does not have the layout that view reads. */
export function readable(kind: DatasetViewKind, json: Json | null, table: GenericTable, now: Date): DatasetView | null {
  switch (kind) {
    case 'household-person':
      return json === null ? null : householdPerson(json);
    case 'household-all':
      return json === null ? null : householdAll(json);
    case 'labour-insurance':
      return insurance(table, 'labour', now);
    case 'health-insurance':
      return insurance(table, 'health', now);
    case 'income':
      return income(table);
    case 'vehicles':
      return json === null
        ? null
        : cards(json, 'plateNo', (o) => textOrNull([str(o.brandName), str(o.modelName)].filter(Boolean).join(' ')), [
            ['carType', '車種', 'Vehicle type'],
            ['colorName', '顏色', 'Colour'],
            ['cc', '排氣量（cc）', 'Engine (cc)', 'amount'],
            ['txnName', '牌照狀態', 'Plate status'],
            ['licEffectDt', '發照日期', 'Licensed on', 'date'],
            ['nextExamDt', '下次檢驗日期', 'Next inspection', 'date'],
            ['lastPrintLicDt', '最近換發行照日期', 'Registration last reissued', 'date'],
          ]);
    case 'driving-licences':
      return json === null
        ? null
        : cards(json, 'licenseTypeName', (o) => textOrNull(o.statusName), [
            ['issueDt', '發照日期', 'Issued on', 'date'],
            ['validDt', '有效日期', 'Valid until', 'date'],
            ['examDt', '審驗日期', 'Next review', 'date'],
            ['points', '違規記點', 'Penalty points', 'amount'],
          ]);
    case 'company-officers':
      return json === null
        ? null
        : cards(json, 'CMPY_NAME', (o) => textOrNull(o.POS_NAME), [
            ['BAN_NO', '統一編號', 'Business ID (BAN)'],
            ['ORG_TYPE', '組織類型', 'Organisation type'],
            ['CMPY_STATUS', '公司狀態', 'Company status'],
            ['INVEST_AMT', '出資額（新臺幣）', 'Investment (NT$)', 'amount'],
            ['DTR_BEG_DATE', '任期開始', 'Term from', 'date'],
            ['DTR_END_DATE', '任期結束', 'Term until', 'date'],
            ['ESTAB_APP_DATE', '核准設立日期', 'Established', 'date'],
            ['REG_UNIT_NAME', '登記機關', 'Registered with'],
            ['CMPY_ADD', '公司所在地', 'Address'],
          ]);
  }
}
