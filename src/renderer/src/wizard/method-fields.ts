/**
 * Each unlearning method's parameters as wizard fields, derived from the method's own params schema
 * (src/shared/unlearning-config.ts) the way plain fields are (schema-fields.ts): control, parsing,
 * choices and default come from the schema; a method parameter adds only its label and help here,
 * citing where its default comes from. Adding a method = its schema + one entry below.
 */
import { SELECTIONS } from '../../../shared/catalog';
import type { MethodId } from '../../../shared/method-schemas';
import { methodSchema, METHOD_IDS } from '../../../shared/method-schemas';
import { deriveField, schemaAt, type FieldDescriptor, type SchemaField } from './schema-fields';

type ParamDescriptor = Omit<FieldDescriptor, 'path' | 'when' | 'omitWhenHidden'>;

const ROUNDS: ParamDescriptor = { label: 'Rounds' };

/** Label and help of every parameter of every method (the unit test requires one per schema key). */
const PARAMS: Record<MethodId, Record<string, ParamDescriptor>> = {
  retrain: {},
  finetune: { rounds: ROUNDS },
  fedmemeraser: {
    rounds: { label: 'Rounds', help: 'With the gradient rule, 0 = reset only (Table H8).' },
    locate: {
      label: 'Locate by',
      optionLabels: {
        gradient: 'gradient at the original model (Algorithm 1)',
        'first-round-update': 'first fine-tuning round’s update (authors’ code)',
      },
    },
    rho: {
      label: 'Pruning ratio ρ',
      help: 'Fraction reset. Paper: 0.3 IID, 0.4 non-IID; "auto" = Appendix H.3’s knee rule.',
      placeholder: '0.3 or auto',
    },
    gamma: {
      label: 'Threshold γ (instead of ρ)',
      help: 'Reset every scalar whose |mean gradient| is below γ (Eq. 12). Empty = use ρ.',
    },
    selection: {
      label: 'Selection strategy',
      help: 'Appendix F.3.',
      optionLabels: Object.fromEntries(Object.values(SELECTIONS).map((s) => [s.id, s.name])),
    },
  },
  halimi: {
    rounds: { label: 'Post-training rounds', help: '0 = the ascent alone (public code: 10).' },
    lr: { label: 'Ascent learning rate', help: 'Halimi et al. 2022 public code: SGD 0.01.' },
    momentum: { label: 'Ascent momentum', help: 'Public code: 0.9.' },
    clipNorm: { label: 'Gradient-norm clip', help: 'Public code: 5; 0 = none.' },
    epochs: { label: 'Ascent epochs (at most)', help: 'Public code: 5; the early stop usually ends it sooner.' },
    radius: {
      label: 'L2 ball radius',
      placeholder: 'random-models or a number',
      help: '"random-models": √δ, δ = a third of the mean squared distance from the reference model to fresh models (public code).',
    },
    randomModels: { label: 'Random models for δ', help: 'Public code: 10.' },
    distanceThreshold: {
      label: 'Early-stop distance',
      help: 'Stop once ‖w − w_leaving‖² exceeds this (public code: 2.2, set for its MNIST model).',
    },
  },
  liu: {
    rounds: { label: 'Retraining rounds', help: 'From a fresh model on the remaining clients.' },
    lr: { label: 'Learning rate', help: 'Liu et al. 2022: 1e-3.' },
    beta1: { label: 'Gradient momentum β₁', help: 'Liu et al. 2022: 0.9.' },
    beta2: { label: 'Fisher momentum β₂', help: 'Liu et al. 2022: 0.999.' },
    damping: {
      label: 'Damping',
      help: 'Added to the diagonal Fisher before dividing (our choice; the paper gives none).',
    },
    rule: {
      label: 'Preconditioner',
      optionLabels: { inverse: 'inverse Fisher (the paper)', sqrt: 'inverse square root (Adam-like ports)' },
    },
  },
  fedrecovery: {
    sigma: {
      label: 'Noise σ',
      help: 'Gaussian noise added to every parameter (public ports: 0.02; 0 = the correction alone).',
    },
    weighting: {
      label: 'Round weights',
      optionLabels: {
        normalized: '‖ΔF_t‖² over all rounds (the paper as we read it)',
        cumulative: '‖ΔF_t‖² over earlier rounds (public port)',
      },
    },
    residual: {
      label: 'Residual',
      optionLabels: {
        contribution: 'the leaving clients’ part of each round’s update',
        'public-port': 'the public port’s formula',
      },
    },
    scale: { label: 'Scale of the correction', help: 'Public port: 5.' },
  },
  fedau: {
    alpha: {
      label: 'Weight α of the auxiliary head',
      help: 'Gu et al. 2024 public code: 0.9. New last layer = (1 − α) main + α auxiliary.',
    },
    auxClients: {
      label: 'Auxiliary head trained by',
      optionLabels: {
        all: 'all clients, aggregated by FedAvg',
        forgetting: 'only clients holding data to forget (public code)',
      },
      help: 'FedAU is switched on before the original training; the head learns on frozen features, so the original model is unchanged.',
    },
  },
  fedosd: {
    unlearningRounds: { label: 'Unlearning rounds', help: 'Pan et al. 2025 public code: 100, no early stop.' },
    rounds: { label: 'Post-training rounds', help: '0 = none.' },
    lr: {
      label: 'Unlearning step size',
      help: 'Empty = training.lr (the code steps with the clients’ learning rate).',
    },
    signal: {
      label: 'Clients send',
      optionLabels: {
        'pseudo-gradient': 'pseudo-gradient after local epochs (public code)',
        gradient: 'full-data gradient at the global model',
      },
    },
    postProjection: { label: 'Project post-training updates off the unlearning direction' },
  },
  federaser: {
    interval: {
      label: 'Interval Δt (rounds)',
      help: 'Liu et al. 2021: updates are recorded and calibrated every Δt rounds (2).',
    },
    calibrationRatio: {
      label: 'Calibration ratio',
      help: 'Share of the local epochs each calibration round trains (the paper: 0.5).',
    },
    calibrate: {
      label: 'Calibrate',
      optionLabels: { client: 'each client’s update (the paper)', aggregate: 'the averaged update (authors’ code)' },
    },
  },
  not: {
    rounds: { label: 'Rounds', help: '0 = the negation alone.' },
    negateBias: { label: 'Negate the first layer’s bias too (NoT negates weights)' },
  },
};

/** Keys every method entry has; the card renders them itself. */
const COMMON_KEYS = new Set(['id', 'label']);

export interface MethodParamField extends SchemaField {
  key: string;
}

function schemaOf(id: string): (typeof methodSchema.options)[number] {
  const option = methodSchema.options.find((o) => o.shape.id.value === id);
  if (!option) throw new Error(`no params schema for method "${id}"`);
  return option;
}

function derive(id: MethodId): MethodParamField[] {
  const shape = schemaOf(id).shape;
  return Object.keys(shape)
    .filter((k) => !COMMON_KEYS.has(k))
    .map((key) => {
      const d = PARAMS[id][key];
      if (!d) throw new Error(`method "${id}" has a parameter "${key}" without a wizard label`);
      const { schema, defaultValue } = schemaAt(key, schemaOf(id));
      return { ...deriveField({ ...d, path: key }, schema, defaultValue), key };
    });
}

const FIELDS = new Map<string, MethodParamField[]>(METHOD_IDS.map((id) => [id, derive(id)]));

/** The parameter fields of a method (none for an unknown id: its keys stay in the entry's extra). */
export function methodParamFields(id: string): MethodParamField[] {
  return FIELDS.get(id) ?? [];
}

/** Every key some method's card has a control for. */
export const METHOD_PARAM_KEYS: ReadonlySet<string> = new Set([
  ...COMMON_KEYS,
  ...[...FIELDS.values()].flat().map((f) => f.key),
]);
