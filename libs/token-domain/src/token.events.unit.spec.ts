import { isTokenEvent } from './token.events';

/** isTokenEvent is where a stored event becomes the domain's union: the projections trust it for the shape. */
describe('isTokenEvent', () => {
  it.each(['TokenCreated', 'TokenRevoked', 'TokenRotated', 'TokenUpdated', 'TokenExpired', 'TokenUsed', 'ReminderSent', 'AccessTokenIssued'])(
    'takes %s',
    (type) => expect(isTokenEvent({ type, data: {} })).toBe(true),
  );

  it.each(['SigningKeyCreated', 'SigningKeyRetired', 'ProjectRenamed', 'tokenCreated', ''])('leaves out %s', (type) =>
    expect(isTokenEvent({ type, data: { tokenId: 'tok_a' } })).toBe(false),
  );
});
