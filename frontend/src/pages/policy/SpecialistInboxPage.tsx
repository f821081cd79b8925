import { Alert, App, Button, Card, Col, Empty, Form, Input, Row, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { showFormErrors } from '../../api/errors';
import { DeadlineTag } from '../../components/DeadlineTag';
import { FormProblems } from '../../components/FormProblems';
import {
  AnswerEnterpriseQuestionDocument, EscalateEnterpriseQuestionDocument, SpecialistInboxDocument,
  type EnterpriseQuestionFieldsFragment,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';

type Question = EnterpriseQuestionFieldsFragment;

/** Answer the question, or pass it to a department with the reason; errors next to the fields. */
function QuestionPanel({ question, onDone }: { question: Question; onDone: () => void }) {
  const { t, locale, formatDateTime } = useI18n();
  const { message } = App.useApp();
  const [answerForm] = Form.useForm<{ answer: string }>();
  const [escalateForm] = Form.useForm<{ department: string; reason: string }>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching: answering }, answer] = useMutation(AnswerEnterpriseQuestionDocument);
  const [{ fetching: escalating }, escalate] = useMutation(EscalateEnterpriseQuestionDocument);

  const sendAnswer = async ({ answer: text }: { answer: string }) => {
    const result = await answer({ id: question.id, answer: text });
    const payload = result.data?.answerEnterpriseQuestion;
    if (payload?.__typename === 'ValidationErrors') setProblems(showFormErrors(answerForm, payload.errors, ['answer'], t, locale));
    else if (payload) { void message.success(t('pol.answered')); onDone(); }
    else setProblems([result.error?.message ?? t('common.notAllowed')]);
  };
  const sendEscalation = async (v: { department: string; reason: string }) => {
    const result = await escalate({ id: question.id, department: v.department, reason: v.reason });
    const payload = result.data?.escalateEnterpriseQuestion;
    if (payload?.__typename === 'ValidationErrors') setProblems(showFormErrors(escalateForm, payload.errors, ['department', 'reason'], t, locale));
    else if (payload) { void message.success(t('pol.escalated', { department: v.department })); onDone(); }
    else setProblems([result.error?.message ?? t('common.notAllowed')]);
  };

  return (
    <Card size="small" title={question.title}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text type="secondary">{t('pol.domain')}：{question.policyDomain}</Typography.Text>
          <Typography.Text type="secondary">{t('pol.department')}：{question.department ?? t('common.none')}</Typography.Text>
          <Typography.Text type="secondary">{t('pol.asked')}：{formatDateTime(question.createdAt)}</Typography.Text>
          {question.dueAt && <DeadlineTag dueAt={question.dueAt} />}
        </Space>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{question.content}</Typography.Paragraph>
        <FormProblems problems={problems} />
        <Form form={answerForm} name="answer" layout="vertical" onFinish={(v) => void sendAnswer(v)}>
          <Form.Item name="answer" label={t('pol.answer')} rules={[{ required: true, message: t('pol.answerRequired') }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={answering}>{t('pol.sendAnswer')}</Button>
        </Form>
        <Form form={escalateForm} name="escalate" layout="vertical" onFinish={(v) => void sendEscalation(v)} style={{ marginTop: 16 }}>
          <Typography.Text strong>{t('pol.escalate')}</Typography.Text>
          <Row gutter={12}>
            <Col span={10}>
              <Form.Item name="department" label={t('pol.toDepartment')} rules={[{ required: true, message: t('pol.departmentRequired') }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={14}>
              <Form.Item name="reason" label={t('pol.reason')} rules={[{ required: true, message: t('pol.reasonRequired') }]}>
                <Input />
              </Form.Item>
            </Col>
          </Row>
          <Button htmlType="submit" loading={escalating}>{t('pol.sendEscalation')}</Button>
        </Form>
      </Space>
    </Card>
  );
}

/** 政策专员工作台: the 一企来 questions routed to this specialist, soonest deadline first. */
export function SpecialistInboxPage() {
  const { t, formatDateTime } = useI18n();
  const [{ data, fetching }, reload] = useQuery({ query: SpecialistInboxDocument });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const list = data?.specialistInbox.__typename === 'EnterpriseQuestionList' ? data.specialistInbox.items : [];
  const items = [...list].sort((a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'));
  const selected = items.find((q) => q.id === selectedId) ?? null;
  const failed = data?.specialistInbox.__typename === 'ValidationErrors' ? data.specialistInbox.errors : [];
  return (
    <>
      <Typography.Title level={2} style={{ marginTop: 0 }}>{t('pol.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('pol.intro')}</Typography.Paragraph>
      {failed.length > 0 && <Alert type="error" role="alert" showIcon title={failed.map((e) => e.message).join('；')} style={{ marginBottom: 12 }} />}
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Table<Question>
            size="small" rowKey="id" loading={fetching} dataSource={items} aria-label={t('pol.inbox')} pagination={false}
            locale={{ emptyText: t('pol.empty') }}
            rowClassName={(q) => (q.id === selectedId ? 'ant-table-row-selected' : '')}
            onRow={(q) => ({ onClick: () => { setSelectedId(q.id); } })}
            columns={[
              {
                key: 'title', title: t('pol.question'),
                render: (_: unknown, q) => <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => { setSelectedId(q.id); }}>{q.title}</Button>,
              },
              { key: 'domain', title: t('pol.domain'), dataIndex: 'policyDomain', width: 100 },
              { key: 'due', title: t('pol.due'), width: 150, render: (_: unknown, q) => (q.dueAt ? <DeadlineTag dueAt={q.dueAt} /> : t('common.none')) },
              { key: 'asked', title: t('pol.asked'), width: 160, render: (_: unknown, q) => formatDateTime(q.createdAt) },
            ]}
          />
        </Col>
        <Col xs={24} xl={12}>
          {selected
            ? <QuestionPanel key={selected.id} question={selected} onDone={() => { setSelectedId(null); reload({ requestPolicy: 'network-only' }); }} />
            : <Empty description={t('pol.pick')} />}
        </Col>
      </Row>
    </>
  );
}
