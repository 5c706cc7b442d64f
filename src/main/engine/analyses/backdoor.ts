/**
 * Backdoor vs normal data (Appendix G.3, Figure G8). With dataset.backdoor, every round of every
 * stage already measures the attack (prepare.ts's evaluateTest, recorded on the round), so this
 * analysis only collects: the curves of the original training and of each method that trains
 * (fine-tuning is the paper's), and each model at its end. The paper's finding: the attack succeeds
 * after the original training and fine-tuning on the remaining clients removes it, while the normal
 * (clean) examples of D_u stay about as well classified as the test set.
 */
import type { BackdoorPoint } from '../../../shared/analysis-results';
import type { BackdoorMetrics } from '../../../shared/results';
import type { RoundRecord } from '../fl/fedavg';
import type { ModelAssessment } from '../unlearning/assess';
import type { Analysis } from './types';

const point = (testAccuracy: number, b: BackdoorMetrics) => ({
  testAccuracy,
  asr: b.asr,
  cleanAccuracy: b.cleanAccuracy,
  triggeredAsTarget: b.triggeredAsTarget,
});

/** The rounds that measured the attack (a method's single operation or an old record may not have). */
function curve(rounds: readonly RoundRecord[]): BackdoorPoint[] {
  return rounds.flatMap((r) => (r.backdoor ? [{ round: r.round, ...point(r.testAccuracy, r.backdoor) }] : []));
}

export const backdoor: Analysis<'backdoor'> = {
  id: 'backdoor',
  async run({ exp, models, result, originalRounds }) {
    if (!exp.backdoor) throw new Error('the backdoor analysis needs a backdoor on the data (dataset.backdoor)');
    const assessments: ModelAssessment[] = [
      result.original,
      ...result.retrained,
      ...result.methods.map((m) => m.assessment),
    ];
    const original = models.find((m) => m.role === 'original')!;
    const stages = [
      { stage: original.stage, label: original.label, role: 'original' as const, points: curve(originalRounds) },
      ...result.methods
        .map((m) => ({ stage: m.stage, label: m.label, role: 'method' as const, points: curve(m.rounds) }))
        .filter((s) => s.points.length > 0),
    ];
    return {
      target: exp.backdoor.target,
      stages,
      // models and assessments list the original, the retrained models and the methods in the same order.
      models: models.map(({ stage, label, role }, i) => ({
        stage,
        label,
        role,
        ...point(assessments[i].testAccuracy, assessments[i].backdoor!),
      })),
    };
  },
};
