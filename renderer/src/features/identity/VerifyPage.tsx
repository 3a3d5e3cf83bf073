// The /verify screen: the verification step on its own page. Its need comes from the query (model.ts needFromQuery):
// #/verify?level=0&type=natural&datasets=a,b — level 0…4 (lower is stronger, default 4 = any method), type fixes 個人/企業代表.
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { needFromQuery } from './model.ts';
import { VerificationStep } from './VerificationStep.tsx';

export function VerifyPage() {
  const { t } = useI18n();
  const [query] = useSearchParams();
  const key = query.toString();
  const need = useMemo(() => needFromQuery(new URLSearchParams(key)), [key]);
  return (
    <>
      <PageHeading>{t('identity.page.title')}</PageHeading>
      <p>{t('identity.page.intro')}</p>
      {/* A new query is a new need: start the step afresh rather than mix choices made for another level. */}
      <VerificationStep key={key} need={need} />
    </>
  );
}
