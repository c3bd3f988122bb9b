package org.l2l4j.problem;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.l2l4j.util.Spec;
import org.l2l4j.util.SpecException;
import org.l2l4j.util.Text;

/**
 * The registry of problem families by spec name: the built-in {@code simple}, {@code quadratic},
 * {@code mlp} (with the alias {@code mnist}), whatever other modules {@link #register register},
 * and the {@link ProblemFamilyProvider}s on the class path (found once, on first use, through
 * {@link ServiceLoader} with the thread's context class loader). A name given by two of them is
 * refused with a message naming both.
 */
public final class Problems {
  private static final Map<String, Function<Spec, ProblemFamily>> REGISTRY = new LinkedHashMap<>();
  private static final String SERVICE = ProblemFamilyProvider.class.getName();
  /** The most characters of a provider's error message that a message quotes. */
  private static final int MESSAGE_CHARS = 300;

  static {
    register("simple", spec -> {
      spec.requireOnly(java.util.Set.of());
      return new SimpleProblem();
    });
    register("quadratic", QuadraticFamily::of);
    register("mlp", MlpFamily::of);
    register("mnist", MlpFamily::ofMnist);
    register("mix", MixtureFamily::of);
  }

  /** The providers found on the class path, loaded on first use. */
  private static volatile Found found;

  /** True while {@link #load} runs (guarded by the class lock). */
  private static boolean loading;

  /** Providers by name, or the reason they cannot be used. */
  private record Found(Map<String, ProblemFamilyProvider> byName, String error) {}

  private Problems() {}

  /** Adds a family constructor under {@code name}. */
  public static synchronized void register(String name, Function<Spec, ProblemFamily> factory) {
    REGISTRY.put(name, factory);
  }

  /** The registered names, then those of the providers on the class path. */
  public static List<String> names() {
    return names(providers());
  }

  private static List<String> names(Map<String, ProblemFamilyProvider> providers) {
    List<String> all;
    synchronized (Problems.class) {
      all = new ArrayList<>(REGISTRY.keySet());
    }
    all.addAll(providers.keySet());
    return all;
  }

  /**
   * Parses a problem spec such as {@code quadratic(preset=deepmind)}: a built-in or registered
   * family, else one of a {@link ProblemFamilyProvider} on the class path.
   *
   * @throws SpecException for a bad spec, an unknown name, a name defined twice or a provider that
   *     cannot be loaded or fails; the message is one line
   */
  public static ProblemFamily parse(String text) {
    Spec spec = Spec.parse(text); // a syntax error first, before any provider is loaded
    return parse(spec, providers());
  }

  /** {@link #parse(String)} with the providers given (a seam for tests). */
  static ProblemFamily parse(String text, List<ProblemFamilyProvider> providers) {
    Spec spec = Spec.parse(text);
    return parse(spec, index(providers));
  }

  private static ProblemFamily parse(Spec spec, Map<String, ProblemFamilyProvider> providers) {
    Function<Spec, ProblemFamily> f;
    synchronized (Problems.class) {
      f = REGISTRY.get(spec.name());
    }
    ProblemFamilyProvider p = providers.get(spec.name());
    if (f != null && p != null) {
      throw new SpecException("problem family '" + spec.name() + "' is defined twice: built in and"
          + " by " + describe(p) + "; rename the provider's family");
    }
    if (f != null) {
      return f.apply(spec);
    }
    if (p == null) {
      throw new SpecException(
          "unknown problem '" + Text.excerpt(spec.name()) + "'; known: "
              + String.join(", ", names(providers))
              + " (more come from jars on the class path that provide " + SERVICE + ")");
    }
    return create(p, spec);
  }

  private static ProblemFamily create(ProblemFamilyProvider p, Spec spec) {
    ProblemFamily family;
    try {
      family = p.create(spec);
    } catch (SpecException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new SpecException("problem '" + Text.excerpt(spec) + "': " + describe(p) + " failed: "
          + oneLine(e));
    }
    if (family == null) {
      throw new SpecException("problem '" + Text.excerpt(spec) + "': " + describe(p)
          + " returned no family");
    }
    String made = family.spec();
    String madeName;
    try {
      madeName = Spec.parse(made).name();
    } catch (SpecException e) {
      madeName = null;
    }
    if (!spec.name().equals(madeName)) {
      throw new SpecException("problem '" + Text.excerpt(spec) + "': " + describe(p)
          + " returned a family whose spec '" + Text.excerpt(made) + "' is not "
          + spec.name() + "(...)");
    }
    return family;
  }

  /** The providers on the class path by name, loaded on the first call. */
  private static Map<String, ProblemFamilyProvider> providers() {
    Found f = found;
    if (f == null) {
      synchronized (Problems.class) {
        f = found;
        if (f == null) {
          if (loading) {
            return Map.of(); // a provider's constructor parses a spec: built-ins only
          }
          loading = true;
          try {
            f = load();
          } finally {
            loading = false;
          }
          found = f;
        }
      }
    }
    if (f.error() != null) {
      throw new SpecException(f.error());
    }
    return f.byName();
  }

  private static Found load() {
    List<ProblemFamilyProvider> list = new ArrayList<>();
    try {
      for (ProblemFamilyProvider p : ServiceLoader.load(ProblemFamilyProvider.class)) {
        list.add(p);
      }
      return new Found(index(list), null);
    } catch (ServiceConfigurationError | LinkageError e) {
      String m = oneLine(e.getMessage());
      m = m.startsWith(SERVICE + ": ") ? m.substring(SERVICE.length() + 2) : m;
      return new Found(Map.of(), "cannot load a problem family provider: " + m
          + servicesFiles());
    } catch (SpecException e) {
      return new Found(Map.of(), e.getMessage());
    }
  }

  /** The providers by name; refuses bad names and names given twice. */
  private static Map<String, ProblemFamilyProvider> index(List<ProblemFamilyProvider> list) {
    Map<String, ProblemFamilyProvider> byName = new LinkedHashMap<>();
    for (ProblemFamilyProvider p : list) {
      String name;
      try {
        name = p.name();
      } catch (RuntimeException | LinkageError e) {
        throw new SpecException(describe(p) + ": name() failed: " + oneLine(e));
      }
      if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
        throw new SpecException(describe(p) + ": bad problem family name '" + Text.excerpt(name)
            + "' (letters, digits, _ . -, a letter first)");
      }
      ProblemFamilyProvider other = byName.putIfAbsent(name, p);
      if (other != null) {
        throw new SpecException("problem family '" + name + "' is defined twice: by "
            + describe(other) + " and by " + describe(p) + "; remove one from the class path");
      }
    }
    return byName;
  }

  /** The provider's class and the jar or folder it came from. */
  private static String describe(ProblemFamilyProvider p) {
    CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
    String where = cs == null || cs.getLocation() == null ? "" : " (" + location(cs) + ")";
    return p.getClass().getName() + where;
  }

  private static String location(CodeSource cs) {
    try {
      return java.nio.file.Path.of(cs.getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException | IllegalArgumentException
        | java.nio.file.FileSystemNotFoundException e) {
      return cs.getLocation().toString();
    }
  }

  /** {@code message} cut to its first line and {@value #MESSAGE_CHARS} characters. */
  private static String oneLine(Object message) {
    String m = String.valueOf(message).strip();
    int nl = m.indexOf('\n');
    m = (nl < 0 ? m : m.substring(0, nl)).strip();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(m.length(), MESSAGE_CHARS); i++) {
      char c = m.charAt(i);
      sb.append(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? '?' : c);
    }
    return m.length() > MESSAGE_CHARS || nl >= 0 ? sb + " ..." : sb.toString();
  }

  /** The jars and folders on the class path that hold a services file for providers. */
  private static String servicesFiles() {
    List<String> where = new ArrayList<>();
    try {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      var urls = (cl != null ? cl : ClassLoader.getSystemClassLoader())
          .getResources("META-INF/services/" + SERVICE);
      while (urls.hasMoreElements()) {
        String u = urls.nextElement().toString();
        int bang = u.indexOf("!/");
        where.add(u.startsWith("jar:file:") && bang > 0 ? u.substring(9, bang) : u);
      }
    } catch (java.io.IOException e) {
      return "";
    }
    return where.isEmpty() ? "" : " (listed in " + String.join(", ", where) + ")";
  }
}
