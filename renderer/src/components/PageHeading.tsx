// The page's one <h1>: focus target after navigation (tabIndex -1) and source of the window title.
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/index.ts';
import { useFocusOnNavigation } from './route-focus.tsx';

export function PageHeading(props: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useI18n();
  useFocusOnNavigation(ref);
  const title = t('app.pageTitle', { page: props.children });
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {props.children}
    </h1>
  );
}
