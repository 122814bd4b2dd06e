package dev.longshore.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * The CDK App. Started by the CDK CLI (cdk.json), which passes settings with {@code -c key=value}, or directly by
 * scripts/synth, which passes them as {@code key=value} arguments. A bad setting ends it with exit code 2 and one
 * line on stderr naming the setting.
 */
public final class LongshoreApp {
    private LongshoreApp() {
    }

    public static void main(String[] args) {
        try {
            App app = new App(AppProps.builder().context(arguments(args)).build());
            build(app);
            app.synth();
        } catch (SettingsException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Reads the settings from the App's context and adds the stack to it. */
    public static LongshoreStack build(App app) {
        FleetSpec fleet = FleetSpec.read(new Settings(key -> app.getNode().tryGetContext(key)));
        return new LongshoreStack(app, fleet);
    }

    static Map<String, Object> arguments(String[] args) {
        Map<String, Object> context = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException("argument \"" + arg + "\" is invalid: expected key=value, such as video.max=40");
            }
            context.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return context;
    }
}
