import { useTranslation } from 'react-i18next';
import type { IpcArgs } from '../../../../protocol/ipc';
import type { ServerProfile } from '../../../../protocol/desktop-policy';
import { Field } from '../../ui/Field';

export interface ProfileDraft {
  url: string;
  name: string;
  pin: string;
  remember: boolean;
}

export function profileDraft(chosen: ServerProfile | undefined): ProfileDraft {
  return { url: chosen?.url ?? 'https://', name: chosen?.name ?? '', pin: chosen?.pin ?? '', remember: true };
}

/** The profile to connect with; a saved one keeps its id, so signing in again does not duplicate it. */
export function profileFrom(
  draft: ProfileDraft,
  chosen: ServerProfile | undefined,
): IpcArgs<'auth.signIn'>['profile'] {
  return {
    ...(chosen ? { id: chosen.id } : {}),
    name: draft.name.trim() || new URL(draft.url).host,
    url: draft.url.trim(),
    ...(draft.pin.trim() ? { pin: draft.pin.trim() } : {}),
  };
}

/** Which server, as the sign-in and the account set-up both ask for it. */
export function ProfileFields(props: {
  draft: ProfileDraft;
  onChange(draft: ProfileDraft): void;
  autoFocus: boolean;
}) {
  const { t } = useTranslation();
  const { draft, onChange } = props;
  return (
    <>
      <Field
        label={t('connect.serverUrl')}
        hint={t('connect.serverUrlHint')}
        type="url"
        required
        autoFocus={props.autoFocus}
        value={draft.url}
        onChange={(event) => onChange({ ...draft, url: event.target.value })}
      />
      <Field
        label={t('connect.serverName')}
        hint={t('connect.serverNameHint')}
        value={draft.name}
        onChange={(event) => onChange({ ...draft, name: event.target.value })}
      />
      <Field
        label={t('connect.pin')}
        hint={t('connect.pinHint')}
        value={draft.pin}
        spellCheck={false}
        onChange={(event) => onChange({ ...draft, pin: event.target.value })}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={draft.remember}
          onChange={(event) => onChange({ ...draft, remember: event.target.checked })}
        />
        {t('connect.remember')}
      </label>
    </>
  );
}
