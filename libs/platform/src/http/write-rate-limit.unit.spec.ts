import { FixedWindowStorage } from './write-rate-limit';

describe("a caller's write window", () => {
  it('lets `limit` writes through per window, blocks the next with the seconds left, and opens again when the window ends', async () => {
    let now = 1_000_000;
    const storage = new FixedWindowStorage(() => now);
    for (let i = 1; i <= 3; i++) await expect(storage.increment('caller', 60_000, 3)).resolves.toMatchObject({ totalHits: i, isBlocked: false });
    now += 20_000;
    await expect(storage.increment('caller', 60_000, 3)).resolves.toEqual({ totalHits: 4, timeToExpire: 40, isBlocked: true, timeToBlockExpire: 40 });
    // another caller has a window of its own
    await expect(storage.increment('someone-else', 60_000, 3)).resolves.toMatchObject({ totalHits: 1, isBlocked: false });
    now += 40_000;
    await expect(storage.increment('caller', 60_000, 3)).resolves.toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
