import type { Decider } from './decider';
import { DomainError } from './domain-error';

/**
 * Given/when/then for deciders (tests only):
 * `given(decider, [enrolled]).when(sign).then([signed])` or `.thenFails('PLEDGE_ALREADY_SIGNED')`.
 */
export const given = <S, C, E>(decider: Decider<S, C, E>, history: readonly NoInfer<E>[]) => ({
  when: (command: NoInfer<C>) => {
    const run = (): E[] =>
      decider.decide(command, history.reduce(decider.evolve, decider.initialState()));
    return {
      then: (expected: NoInfer<E>[]): void => {
        expect(run()).toEqual(expected);
      },
      thenFails: (code: string, kind?: DomainError['kind']): DomainError => {
        let caught: unknown;
        try {
          run();
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(DomainError);
        expect((caught as DomainError).code).toBe(code);
        if (kind) {
          expect((caught as DomainError).kind).toBe(kind);
        }
        return caught as DomainError;
      },
    };
  },
});
