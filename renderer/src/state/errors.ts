import { create } from 'zustand';
import type { ContractError } from '../../../shared/contract.ts';

export interface ShownError {
  id: number;
  context: string;
  error: ContractError;
}

interface ErrorState {
  errors: ShownError[];
  report(context: string, error: ContractError): void;
  dismiss(id: number): void;
  dismissAll(): void;
}

let nextId = 1;

export const useErrors = create<ErrorState>()((set) => ({
  errors: [],
  report: (context, error) =>
    set((s) => {
      // Same failure again (every page of a broken query, every call without a token): one banner line.
      if (s.errors.some((e) => e.error.code === error.code && e.error.message === error.message)) return s;
      return { errors: [...s.errors, { id: nextId++, context, error }].slice(-5) };
    }),
  dismiss: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
  dismissAll: () => set({ errors: [] }),
}));

export const reportError = (context: string, error: ContractError): void =>
  useErrors.getState().report(context, error);
