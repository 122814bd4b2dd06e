package dev.longshore.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * Reads the settings from the App's context and adds the stack to it. A key no setting reads is refused (a typo
     * would otherwise be ignored silently; docs/deploy.md: Settings).
     */
    public static LongshoreStack build(App app) {
        Settings settings = new Settings(key -> app.getNode().tryGetContext(key));
        FleetSpec fleet = FleetSpec.read(settings);
        settings.refuseUnknown(givenKeys(app));
        return new LongshoreStack(app, fleet);
    }

    private static List<String> givenKeys(App app) {
        Object all = app.getNode().getAllContext();
        if (all instanceof Map<?, ?> map) {
            return map.keySet().stream().map(Object::toString).toList();
        }
        if (all instanceof JsonNode node) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            return keys;
        }
        return List.of();
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
