package org.l2l4j.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.l2l4j.util.SpecException;
import org.junit.jupiter.api.Test;

/** {@link MixtureFamily}: spec, sampling, the parameter scaling and bad specs. */
class MixtureFamilyTest {

  @Test
  void specParsesBackAndSamplesEveryMemberWithItsDimension() {
    ProblemFamily f = Problems.parse("mix(a=quadratic(dim=3), b=quadratic(dim=7,batch=2))");
    assertThat(f.spec()).isEqualTo(
        "mix(a=quadratic(preset=paper,dim=3),b=quadratic(preset=paper,dim=7,batch=2))");
    assertThat(Problems.parse(f.spec()).spec()).isEqualTo(f.spec());
    assertThat(f.dimension()).isEqualTo(14);
    assertThat(f.groups()).containsExactly(ParamGroup.all(14));
    assertThat(f.problemDimensions()).containsExactlyInAnyOrder(3, 14);
    assertThat(f.validatesByLogLoss()).isTrue();
    ProblemFamily plain = Problems.parse("quadratic(dim=7,batch=2)");
    assertThat(plain.problemDimensions()).containsExactly(14);
    assertThat(plain.validatesByLogLoss()).isFalse();
    Map<Integer, Integer> seen = new HashMap<>();
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      seen.merge(f.sample(rng).dimension(), 1, Integer::sum);
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrder(3, 14);
    assertThat(seen.get(3)).isBetween(70, 130); // uniform over the two members
    assertThat(Problems.parse("mix(a=quadratic,param-scale=10)").spec())
        .isEqualTo("mix(a=quadratic(preset=paper),param-scale=10)");
    assertThat(f.validationFamily()).isSameAs(f);
    assertThat(plain.validationFamily()).isSameAs(plain);
  }

  /** {@code validation=SPEC}: not a member, parsed back, and the family validation runs on. */
  @Test
  void aValidationFamilyIsNotAMember() {
    ProblemFamily f = Problems.parse(
        "mix(a=quadratic(dim=3),validation=mix(x=quadratic(dim=5),y=quadratic(dim=2)))");
    assertThat(f.spec()).isEqualTo("mix(a=quadratic(preset=paper,dim=3),validation=mix("
        + "x=quadratic(preset=paper,dim=5),y=quadratic(preset=paper,dim=2)))");
    assertThat(Problems.parse(f.spec()).spec()).isEqualTo(f.spec());
    assertThat(((MixtureFamily) f).members()).containsOnlyKeys("a");
    assertThat(f.dimension()).isEqualTo(3);
    assertThat(f.problemDimensions()).containsExactly(3);
    assertThat(f.validationFamily().spec())
        .isEqualTo("mix(x=quadratic(preset=paper,dim=5),y=quadratic(preset=paper,dim=2))");
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 20; i++) {
      assertThat(f.sample(rng).dimension()).isEqualTo(3);
    }
  }

  /** g(φ) = f(cφ): the same loss at φ₀ = θ₀/c, and ∇g matches central differences. */
  @Test
  void scaledProblemsAreReparametrisedExactly() {
    MixtureFamily f = (MixtureFamily) Problems.parse("mix(a=quadratic(dim=5),param-scale=100)");
    QuadraticFamily plain = (QuadraticFamily) Problems.parse("quadratic(dim=5)");
    double minC = Double.MAX_VALUE;
    double maxC = 0;
    for (int k = 0; k < 50; k++) {
      // the same stream gives the plain member's problem after the member choice
      SplittableRandom r1 = new SplittableRandom(k);
      Problem g = f.sample(r1);
      SplittableRandom r2 = new SplittableRandom(k);
      r2.nextInt(1); // the member choice
      Problem q = plain.sample(r2);
      float[] phi = new float[5];
      float[] theta = new float[5];
      g.init(new SplittableRandom(9), phi);
      q.init(new SplittableRandom(9), theta);
      double c = theta[0] / (double) phi[0];
      minC = Math.min(minC, c);
      maxC = Math.max(maxC, c);
      assertThat(c).isBetween(0.0099, 101.0);
      float[] gg = new float[5];
      float[] gq = new float[5];
      float fg = g.valueAndGradient(phi, gg, null);
      float fq = q.valueAndGradient(theta, gq, null);
      assertThat((double) fg).isCloseTo(fq, org.assertj.core.data.Offset.offset(1e-4 * Math.abs(fq)));
      for (int i = 0; i < 5; i++) {
        assertThat((double) gg[i]).isCloseTo(c * gq[i],
            org.assertj.core.data.Offset.offset(1e-3 * Math.abs(c * gq[i]) + 1e-6));
      }
    }
    assertThat(minC).isLessThan(0.5); // the range is used
    assertThat(maxC).isGreaterThan(2);
  }

  @Test
  void badMixturesAreRefusedWithOneLine() {
    assertThatThrownBy(() -> Problems.parse("mix()")).isInstanceOf(SpecException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> Problems.parse("mix(a=mix(b=quadratic))"))
        .hasMessageContaining("do not nest");
    assertThatThrownBy(() -> Problems.parse("mix(a=quadratic,param-scale=0.5)"))
        .hasMessageContaining("param-scale");
    assertThatThrownBy(() -> Problems.parse("mix(a=quadratc)"))
        .hasMessageContaining("member 'a'").hasMessageContaining("unknown problem");
    assertThatThrownBy(() -> Problems.parse("mix(a=quadratic,validation=quadratc)"))
        .hasMessageContaining("validation").hasMessageContaining("unknown problem");
    assertThatThrownBy(() -> Problems.parse(
        "mix(a=quadratic,validation=mix(b=quadratic,validation=quadratic))"))
        .hasMessageContaining("of its own");
    assertThatThrownBy(() -> Problems.parse("mix(validation=quadratic)"))
        .hasMessageContaining("at least one");
  }
}
