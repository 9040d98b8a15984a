import { useTranslation } from 'react-i18next';
import { widgetSettingsSchema, type WidgetSettings } from '../../../../../protocol/visitor-socket';
import { Checkbox } from '../../../ui/Checkbox';
import { FieldFrame } from '../../../ui/FieldFrame';
import { LanguageTexts } from './LanguageTexts';

/** How the widget looks and greets, and whether it remembers a visitor beyond the browser tab. */
export function WidgetSettingsEditor(props: {
  widget: WidgetSettings;
  onChange(widget: WidgetSettings): void;
}) {
  const { t } = useTranslation();
  const { widget } = props;
  return (
    <fieldset className="widget-settings">
      <legend>{t('admin.groups.widget.legend')}</legend>
      <FieldFrame
        label={t('admin.groups.widget.color')}
        control={(control) => (
          <span className="color-choice">
            <input
              {...control}
              type="color"
              value={widget.color}
              onChange={(event) => props.onChange({ ...widget, color: event.target.value })}
            />
            <code>{widget.color}</code>
          </span>
        )}
      />
      <LanguageTexts
        labelKey="admin.groups.widget.greeting"
        values={widget.greeting}
        maxLength={widgetSettingsSchema.shape.greeting.valueType.maxLength}
        rows={2}
        onChange={(greeting) => props.onChange({ ...widget, greeting })}
      />
      <div>
        <Checkbox
          label={t('admin.groups.widget.cookieless')}
          checked={widget.cookieless}
          onChange={(cookieless) => props.onChange({ ...widget, cookieless })}
        />
        <p className="hint">{t('admin.groups.widget.cookielessHint')}</p>
      </div>
    </fieldset>
  );
}
