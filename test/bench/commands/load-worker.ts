import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

/**
 * Runs autocannon in its own process (forked by commands.bench.ts), so the load generator does not share
 * the service's event loop or CPU time slice with it. Input: a JSON file path; output: one IPC message.
 */
interface Job {
  url: string;
  seconds: number;
  connections: number;
  kind: 'health' | 'pledges';
  token?: string;
  electionId?: string;
  nipsFile?: string;
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Job;
const nips = job.nipsFile ? readFileSync(job.nipsFile, 'utf8').split('\n').filter(Boolean) : [];
let next = 0;

const options: autocannon.Options =
  job.kind === 'health'
    ? { url: `${job.url}/health`, connections: job.connections, duration: job.seconds }
    : {
        url: job.url,
        connections: job.connections,
        duration: job.seconds,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/pledges',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({
                electionId: job.electionId,
                nip: nips[next++ % nips.length],
                signedAt: '2024-09-20',
                place: 'Bangli',
              }),
            }),
          },
        ],
      };

autocannon(options)
  .then((result) => {
    process.send?.({ result, requested: next, available: nips.length }, () => process.exit(0));
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
