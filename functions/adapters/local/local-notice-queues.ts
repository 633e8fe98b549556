// The notice queues locally: planner pages and notices go to the in-process queues that feed their consumers.
import type { NoticeQueues } from '#app/ports';
import { type NoticeJob, noticeJobBody } from '#contracts/notice-job';
import { type NoticePlanPage, noticePlanPageBody } from '#contracts/notice-plan';

interface InProcessQueue {
  send(body: string): Promise<unknown>;
  sendBatch(bodies: readonly string[]): Promise<void>;
  idle(): Promise<void>;
}

/** As SQS does, each call returns once the message is queued: the consumers run in the background. */
export class LocalNoticeQueues implements NoticeQueues {
  constructor(private readonly queues: { plan: InProcessQueue; send: InProcessQueue }) {}

  async plan(page: NoticePlanPage): Promise<void> {
    void this.queues.plan.send(noticePlanPageBody(page));
  }

  /** Puts a message of the planner's contract on its queue as it is (an announcement's timer does). */
  async sendToPlanner(body: string): Promise<void> {
    void this.queues.plan.send(body);
  }

  async send(jobs: readonly NoticeJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 10) {
      void this.queues.send.sendBatch(jobs.slice(i, i + 10).map(noticeJobBody));
    }
  }

  /** Resolves once every page is planned and every notice sent (or dead-lettered). */
  async idle(): Promise<void> {
    // Planning queues notices and further pages, sending queues nothing: so the planner first, then the sender.
    await this.queues.plan.idle();
    await this.queues.send.idle();
  }
}
