// sqs-consumer as an operator would run it: ceil(C/10) consumers of up to 10 messages each, as its docs
// recommend for concurrency. Mode "message" uses handleMessage (messages of a batch run concurrently),
// "batch" uses handleMessageBatch. SIGTERM stops the consumers, waits for running handlers, then exits 0.
'use strict';
const fs = require('fs');
const { Consumer } = require('sqs-consumer');
const { SQSClient } = require('@aws-sdk/client-sqs');

const queueUrl = process.env.WORKER_QUEUE_URL;
const concurrency = parseInt(process.env.WORKER_CONCURRENCY || '4', 10);
const sleepMs = parseInt(process.env.BENCH_SLEEP_MS || '0', 10);
const mode = process.argv[2] || 'message';
const record = process.env.BENCH_RECORD || '';

// ceil(C/10) consumers of 10, the last one smaller, so exactly C messages can be in flight.
const instances = Math.ceil(concurrency / 10);
const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let running = 0;

async function work(message) {
  running++;
  try {
    if (record) {
      fs.appendFileSync(record, JSON.parse(message.Body).jobId + '\n');
    }
    if (sleepMs > 0) {
      await sleep(sleepMs);
    }
  } finally {
    running--;
  }
}

const consumers = [];
for (let i = 0; i < instances; i++) {
  const batchSize = Math.min(10, concurrency - 10 * i);
  const options = { queueUrl, sqs, batchSize, waitTimeSeconds: 20 };
  if (mode === 'batch') {
    options.handleMessageBatch = async (messages) => {
      await Promise.all(messages.map(work));
      return messages;
    };
  } else {
    options.handleMessage = async (message) => {
      await work(message);
      return message;
    };
  }
  const consumer = Consumer.create(options);
  consumer.on('error', (err) => console.error('error', err.message));
  consumer.on('processing_error', (err) => console.error('processing_error', err.message));
  consumers.push(consumer);
  consumer.start();
}

process.on('SIGTERM', async () => {
  for (const c of consumers) {
    c.stop({ abort: true });
  }
  while (running > 0) {
    await sleep(10);
  }
  process.exit(0);
});
