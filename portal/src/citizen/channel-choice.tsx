// How bill notices should come: the utility's channels as a radio group, the messenger first, its SMS fallback said.
import { useId } from 'preact/hooks';
import type { Utility } from '../shared/utility.ts';
import type { T } from './strings.ts';

type Channel = Utility['channels'][number];

/** A channel by the utility's own name for it (KakaoTalk), else the portal's word for it. */
export function channelName(t: T, channel: Channel | undefined): string {
  return channel?.name ?? t(channel?.code === 'messenger' ? 'signup.messenger' : 'signup.sms');
}

export function ChannelChoice(props: {
  channels: Channel[];
  value: string;
  onValue: (code: Channel['code']) => void;
  t: T;
}) {
  const { channels, t } = props;
  const id = useId();
  const messenger = channels.find((c) => c.code === 'messenger');
  return (
    <fieldset class="field" aria-describedby={messenger ? `${id}-hint` : undefined}>
      <legend>{t('signup.channel')}</legend>
      {messenger && (
        <p class="hint" id={`${id}-hint`}>
          {t('signup.channelHint', { messenger: channelName(t, messenger) })}
        </p>
      )}
      {channels.map((channel) => (
        <div class="check" key={channel.code}>
          <input
            type="radio"
            name={`${id}-channel`}
            id={`${id}-${channel.code}`}
            value={channel.code}
            checked={props.value === channel.code}
            onChange={() => props.onValue(channel.code)}
          />
          <label for={`${id}-${channel.code}`}>{channelName(t, channel)}</label>
        </div>
      ))}
    </fieldset>
  );
}
