package org.l2l4j.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;

/**
 * {@link Problems#parse} with {@link ProblemFamilyProvider}s: a provider's family is found after
 * the built-ins; clashes, bad names and failing providers are one-line errors naming the provider.
 * (The class-path discovery through ServiceLoader is tested end to end in the CLI's
 * ProblemFamilyJarTest.)
 */
class ProblemFamilyProviderTest {

  /** f(θ) = Σ θ², θ₀ = 1, in {@code dim} coordinates. */
  record Bowl(int dim) implements ProblemFamily {
    @Override
    public String spec() {
      return "bowl(dim=" + dim + ")";
    }

    @Override
    public int dimension() {
      return dim;
    }

    @Override
    public Problem sample(RandomGenerator rng) {
      return new Problem() {
        @Override
        public int dimension() {
          return dim;
        }

        @Override
        public void init(RandomGenerator r, float[] thetaOut) {
          java.util.Arrays.fill(thetaOut, 1f);
        }

        @Override
        public float valueAndGradient(float[] theta, float[] gradOut, RandomGenerator batchRng) {
          float f = 0;
          for (int i = 0; i < theta.length; i++) {
            f += theta[i] * theta[i];
            gradOut[i] = 2 * theta[i];
          }
          return f;
        }
      };
    }
  }

  /** Provides {@code name} with {@code create}. */
  record Provider(String name, java.util.function.Function<Spec, ProblemFamily> make)
      implements ProblemFamilyProvider {
    @Override
    public ProblemFamily create(Spec spec) {
      return make.apply(spec);
    }
  }

  static final class OtherProvider implements ProblemFamilyProvider {
    @Override
    public String name() {
      return "bowl";
    }

    @Override
    public ProblemFamily create(Spec spec) {
      return new Bowl(1);
    }
  }

  static final Provider BOWL = new Provider("bowl", spec -> {
    spec.requireOnly(Set.of("dim"));
    return new Bowl(spec.getInt("dim", 2, 1, 1000));
  });

  @Test
  void aProvidersFamilyIsParsedAfterTheBuiltIns() {
    ProblemFamily f = Problems.parse("bowl(dim=3)", List.of(BOWL));
    assertThat(f).isEqualTo(new Bowl(3));
    assertThat(Problems.parse(f.spec(), List.of(BOWL))).isEqualTo(f);
    assertThat(Problems.parse("quadratic", List.of(BOWL)).spec()).isEqualTo(
        Problems.parse("quadratic").spec());
    assertThatThrownBy(() -> Problems.parse("bowl(size=3)", List.of(BOWL)))
        .isInstanceOf(SpecException.class).hasMessageContaining("unknown parameter 'size'");
    assertThatThrownBy(() -> Problems.parse("bowl2", List.of(BOWL)))
        .hasMessageStartingWith("unknown problem 'bowl2'; known: simple, quadratic, mlp, mnist, mix, bowl")
        .hasMessageContaining(ProblemFamilyProvider.class.getName());
  }

  @Test
  void aNameDefinedTwiceIsRefusedNamingBoth() {
    Provider quadratic = new Provider("quadratic", spec -> new Bowl(1));
    assertOneLine(() -> Problems.parse("quadratic", List.of(quadratic)),
        "problem family 'quadratic' is defined twice: built in and by " + Provider.class.getName()
            + " (");
    assertOneLine(() -> Problems.parse("quadratic", List.of(BOWL, new OtherProvider())),
        "problem family 'bowl' is defined twice: by " + Provider.class.getName() + " (",
        " and by " + OtherProvider.class.getName() + " (");
  }

  @Test
  void badNamesAndFailingProvidersAreOneLineErrors() {
    String cls = Provider.class.getName();
    assertOneLine(() -> Problems.parse("x", List.of(new Provider("1bowl", s -> null))),
        cls, "bad problem family name '1bowl'");
    assertOneLine(() -> Problems.parse("x", List.of(new Provider(null, s -> null))),
        cls, "bad problem family name 'null'");
    assertOneLine(() -> Problems.parse("bowl", List.of(new Provider("bowl", s -> {
      throw new IllegalStateException("first line\nsecond line");
    }))), "problem 'bowl': " + cls, "failed: java.lang.IllegalStateException: first line ...");
    assertOneLine(() -> Problems.parse("bowl", List.of(new Provider("bowl", s -> null))),
        "problem 'bowl': " + cls, "returned no family");
    assertOneLine(() -> Problems.parse("bowl", List.of(new Provider("bowl",
        s -> Problems.parse("quadratic")))), "returned a family whose spec 'quadratic(",
        "is not bowl(...)");
  }

  private static void assertOneLine(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... parts) {
    assertThatThrownBy(call).isInstanceOf(SpecException.class)
        .hasMessageContainingAll(parts)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
