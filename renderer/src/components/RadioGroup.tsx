// A labelled radio group (fieldset + legend): the settings screen's one kind of control.
import { useId } from 'react';
import type { Language } from '../../../electron/contract/index.ts';

export interface RadioOption<T extends string> {
  readonly value: T;
  readonly label: string;
  /** Set when the label is in another language than the page (e.g. "English" on a zh-TW page). */
  readonly lang?: Language;
  readonly description?: string;
}

export function RadioGroup<T extends string>(props: {
  legend: string;
  name: string;
  value: T;
  options: readonly RadioOption<T>[];
  onChange: (value: T) => void;
  disabled?: boolean;
  /** A line under the options that shows what the current choice does. */
  hint?: string;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <fieldset className="radio-group" disabled={props.disabled} aria-describedby={hintId}>
      <legend>{props.legend}</legend>
      {props.options.map((option) => {
        const inputId = `${id}-${option.value}`;
        const descriptionId = option.description ? `${inputId}-desc` : undefined;
        return (
          <div className="radio-option" key={option.value}>
            <input
              type="radio"
              id={inputId}
              name={props.name}
              value={option.value}
              checked={props.value === option.value}
              aria-describedby={descriptionId}
              onChange={() => {
                props.onChange(option.value);
              }}
            />
            <label htmlFor={inputId} lang={option.lang}>
              {option.label}
            </label>
            {option.description && (
              <span id={descriptionId} className="radio-description">
                {option.description}
              </span>
            )}
          </div>
        );
      })}
      {props.hint && (
        <p id={hintId} className="radio-hint">
          {props.hint}
        </p>
      )}
    </fieldset>
  );
}
