import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Form, Input, Select, Space, Switch } from 'antd';
import { errorText, type FieldError } from '../../../api/errors';
import { useI18n } from '../../../i18n';
import type { MessageKey } from '../../../i18n/messages';
import {
  CALLER_FLAGS, CHANNELS, GROUPS, LEAVES, REQUEST_TYPES, emptyCondition, fieldOf, leafErrors, type Condition, type Field,
} from './conditions';

interface Props {
  value: Condition;
  onChange: (value: Condition) => void;
  /** Path of this condition in the rule input, e.g. ["when", "all", "1"]: errors are matched against it. */
  path: readonly string[];
  errors: readonly FieldError[];
  onRemove?: () => void;
}

const id = (path: readonly string[]): string => `cond-${path.join('-')}`;

/** One condition of a dispatch rule: a group (all/any/not) of conditions, or a typed leaf. Errors sit at their node. */
export function ConditionEditor({ value, onChange, path, errors, onRemove }: Props) {
  const { t, locale } = useI18n();
  const field = (fieldOf(value) ?? 'category') as Field;
  const inner = value[field];
  const here = [...path, field];
  const own = leafErrors(errors, here).filter((e) => GROUPS.includes(field as never) ? e.path.length === here.length : true);
  const help = own.length > 0 ? own.map((e) => errorText(e, t, locale)).join('；') : undefined;
  const fieldSelect = (
    <Select<Field>
      aria-label={t('config.condField')}
      style={{ width: 150 }}
      value={field}
      onChange={(f) => { onChange(emptyCondition(f)); }}
      options={[...GROUPS, ...LEAVES].map((f) => ({ value: f, label: t(`config.cond.${f}` as MessageKey) }))}
    />
  );
  const remove = onRemove && (
    <Button type="text" icon={<DeleteOutlined />} aria-label={t('config.removeCondition')} onClick={onRemove} />
  );

  if (field === 'all' || field === 'any' || field === 'not') {
    const children: Condition[] = field === 'not' ? [inner as Condition] : (Array.isArray(inner) ? inner as Condition[] : []);
    const setChild = (i: number, c: Condition): void => {
      if (field === 'not') onChange({ not: c });
      else onChange({ [field]: children.map((x, j) => (j === i ? c : x)) });
    };
    return (
      <Card size="small" style={{ marginBottom: 8, background: '#fafafa' }} title={<Space>{fieldSelect}{remove}</Space>}>
        {help && <div role="alert" className="ant-form-item-explain-error" style={{ marginBottom: 8 }}>{help}</div>}
        {children.map((c, i) => (
          <ConditionEditor
            key={i}
            value={c}
            onChange={(next) => { setChild(i, next); }}
            path={field === 'not' ? here : [...here, String(i)]}
            errors={errors}
            onRemove={field === 'not' || children.length === 1 ? undefined
              : () => { onChange({ [field]: children.filter((_, j) => j !== i) }); }}
          />
        ))}
        {field !== 'not' && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => { onChange({ [field]: [...children, { category: [] }] }); }}>
            {t('config.addCondition')}
          </Button>
        )}
      </Card>
    );
  }

  return (
    <Space align="start" style={{ display: 'flex', marginBottom: 4 }} wrap>
      {fieldSelect}
      <Form.Item
        style={{ marginBottom: 8, minWidth: 320 }}
        label={t(`config.cond.${field}` as MessageKey)}
        htmlFor={id(here)}
        validateStatus={help ? 'error' : undefined}
        help={help}
      >
        <LeafInput field={field} value={inner} onChange={(v) => { onChange({ [field]: v }); }} inputId={id(here)} />
      </Form.Item>
      {remove}
    </Space>
  );
}

function LeafInput({ field, value, onChange, inputId }: {
  field: Field;
  value: unknown;
  onChange: (v: unknown) => void;
  inputId: string;
}) {
  const { t } = useI18n();
  const strings = Array.isArray(value) ? value.map(String) : [];
  switch (field) {
    case 'request_type':
      return (
        <Select id={inputId} mode="multiple" style={{ minWidth: 260 }} value={strings} onChange={onChange}
          options={REQUEST_TYPES.map((r) => ({ value: r, label: t(`requestType.${r.toUpperCase()}` as MessageKey) }))} />
      );
    case 'channel':
      return (
        <Select id={inputId} mode="multiple" style={{ minWidth: 260 }} value={strings} onChange={onChange}
          options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c.toUpperCase()}` as MessageKey) }))} />
      );
    case 'weekday':
      return (
        <Select id={inputId} mode="multiple" style={{ minWidth: 260 }} value={Array.isArray(value) ? value as number[] : []}
          onChange={onChange}
          options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`config.weekday.${d}` as MessageKey) }))} />
      );
    case 'response_level':
      return (
        <Select id={inputId} mode="multiple" style={{ minWidth: 200 }} value={Array.isArray(value) ? value as number[] : []}
          onChange={onChange} options={[1, 2, 3, 4].map((l) => ({ value: l, label: String(l) }))} />
      );
    case 'pattern':
      return <Input id={inputId} value={typeof value === 'string' ? value : ''} onChange={(e) => { onChange(e.target.value); }} maxLength={300} />;
    case 'holiday':
      return <Switch id={inputId} checked={value === true} onChange={onChange} />;
    case 'time_of_day': {
      const v = (value ?? {}) as { from?: string; to?: string };
      return (
        <Space>
          <Input id={inputId} aria-label={t('config.timeFrom')} style={{ width: 90 }} value={v.from ?? ''} placeholder="22:00"
            onChange={(e) => { onChange({ ...v, from: e.target.value }); }} />
          –
          <Input aria-label={t('config.timeTo')} style={{ width: 90 }} value={v.to ?? ''} placeholder="06:00"
            onChange={(e) => { onChange({ ...v, to: e.target.value }); }} />
        </Space>
      );
    }
    case 'keywords': {
      const v = (value ?? {}) as { words?: string[]; match?: string };
      return (
        <Space>
          <Select id={inputId} mode="tags" style={{ minWidth: 220 }} value={v.words ?? []} open={false}
            onChange={(words) => { onChange({ ...v, words }); }} tokenSeparators={[',', '，', ' ']} />
          <Select aria-label={t('config.keywordMatch')} value={v.match ?? 'any'} style={{ width: 110 }}
            onChange={(match) => { onChange({ ...v, match }); }}
            options={[{ value: 'any', label: t('config.matchAny') }, { value: 'all', label: t('config.matchAll') }]} />
        </Space>
      );
    }
    case 'caller': {
      const v = (value ?? {}) as Record<string, boolean>;
      return (
        <Checkbox.Group
          aria-labelledby={inputId}
          value={CALLER_FLAGS.filter((f) => v[f])}
          onChange={(flags) => { onChange(Object.fromEntries(flags.map((f) => [f, true]))); }}
          options={CALLER_FLAGS.map((f) => ({ value: f, label: t(`config.caller.${f}` as MessageKey) }))}
        />
      );
    }
    default:
      // category and place: codes, typed or pasted (a category code such as 0102, a division code such as 320102).
      return (
        <Select id={inputId} mode="tags" style={{ minWidth: 260 }} value={strings} open={false}
          onChange={onChange} tokenSeparators={[',', '，', ' ']} placeholder={t(`config.codesHint.${field === 'place' ? 'place' : 'category'}`)} />
      );
  }
}
