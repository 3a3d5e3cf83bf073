// One provider's verification methods as radios; those below the required level stay reachable and say why (G8).
import { useId } from 'react';
import type { MethodId, SubjectType } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { bilingual, qualifyingChoices, type ProviderOption } from './model.ts';

/** The methods of one provider as radios; those that do not qualify stay reachable (aria-disabled) and say why. */
export function MethodGroup(props: { noneAnywhere: boolean; provider: ProviderOption; subjectType: SubjectType; value: MethodId | null; onChange: (method: MethodId) => void }) {
  const { t, language, pickField } = useI18n();
  const id = useId();
  const noneQualify = qualifyingChoices(props.provider).length === 0;
  const noneId = `${id}-none`;
  return (
    <fieldset className="radio-group identity-methods" aria-describedby={noneQualify ? noneId : undefined}>
      <legend>{t('identity.method.legend')}</legend>
      {props.provider.choices.map((choice) => {
        const inputId = `${id}-${choice.method.id}`;
        const reasonId = `${inputId}-reason`;
        const disabled = !choice.qualifies;
        return (
          <div className={disabled ? 'radio-option identity-method-unavailable' : 'radio-option'} key={choice.method.id} data-method={choice.method.id}>
            <input
              type="radio"
              id={inputId}
              name="identity-method"
              value={choice.method.id}
              checked={!disabled && props.value === choice.method.id}
              aria-disabled={disabled || undefined}
              aria-describedby={choice.reason ? reasonId : undefined}
              onChange={() => {
                // A method below the level can be reached and read, but not chosen (G8).
                if (!disabled) props.onChange(choice.method.id);
              }}
            />
            <label htmlFor={inputId}>
              {pickField(choice.method, 'name')}
              {' — '}
              {t('identity.method.level', { level: choice.method.level })}
              {disabled && t('identity.method.unavailable')}
            </label>
            {choice.reason && (
              <span id={reasonId} className="radio-description" lang={language}>
                {bilingual(choice.reason, language)}
              </span>
            )}
          </div>
        );
      })}
      {props.subjectType === 'legal' && <p className="radio-hint">{t('identity.method.legalOnly')}</p>}
      {noneQualify && (
        <p id={noneId} className="radio-hint identity-none">
          {t(props.noneAnywhere && props.subjectType === 'legal' ? 'identity.method.noneAnywhere' : 'identity.method.noneQualifying')}
        </p>
      )}
    </fieldset>
  );
}
