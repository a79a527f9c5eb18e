import { EventStoreUnavailableError } from '../event-store.port';
import { isUniqueViolation, toPortError } from './pg-errors';

const pgError = (code: string, message = 'server said no') => Object.assign(new Error(message), { code });

describe('PostgreSQL errors on the port', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['connection cut', new Error('Connection terminated unexpectedly')],
    ['no server at a Unix socket', Object.assign(new Error('connect ENOENT /var/run/postgresql/.s.PGSQL.5432'), { code: 'ENOENT', syscall: 'connect' })],
    ['pool wait', new Error('timeout exceeded when trying to connect')],
    ['server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['server starting (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', pgError('53300')],
    ['connection failure (08006)', pgError('08006')],
    ['deadlock (40P01)', pgError('40P01')],
  ])('maps %s to unavailable (503, may be repeated)', (_, error) => {
    expect(toPortError(error, 'appending')).toBeInstanceOf(EventStoreUnavailableError);
  });

  it.each([
    ['a syntax error', pgError('42601')],
    ['a unique violation', pgError('23505')],
    ['a plain bug', new TypeError('x is undefined')],
    ['a missing file that is no connection', Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT', syscall: 'open' })],
  ])('keeps %s as it is', (_, error) => {
    expect(toPortError(error, 'appending')).toBe(error);
  });

  it('recognises a unique violation', () => {
    expect(isUniqueViolation(pgError('23505'))).toBe(true);
    expect(isUniqueViolation(pgError('23503'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
