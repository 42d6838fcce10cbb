/** zeromq 6 allows one pending send per socket: this queues the rest in order. */
export interface Sendable {
  send(frames: Buffer[]): Promise<void>;
}

export class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: Sendable, private readonly onError: (e: unknown) => void = () => {}) {}

  send(frames: Buffer[]): Promise<void> {
    this.tail = this.tail.then(
      () => this.socket.send(frames).catch(this.onError),
    );
    return this.tail;
  }

  /** Resolves when everything queued so far has been handed to zeromq. */
  drain(): Promise<void> {
    return this.tail;
  }
}
