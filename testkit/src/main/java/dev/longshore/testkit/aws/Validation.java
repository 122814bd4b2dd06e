package dev.longshore.testkit.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Parameter checks the query-protocol fakes share. */
final class Validation {
    private Validation() {
    }

    /**
     * The message AWS gives for the first required parameter that is absent ({@code 1 validation error detected:
     * Value null at 'protectedFromScaleIn' failed to satisfy constraint: Member must not be null}), or null. A list
     * parameter ({@code InstanceIds}) is present when its first member is.
     */
    static String missing(Map<String, String> form, List<String> required) {
        for (String name : required) {
            if (!form.containsKey(name) && !form.containsKey(name + ".member.1")) {
                return "1 validation error detected: Value null at '" + Character.toLowerCase(name.charAt(0))
                        + name.substring(1) + "' failed to satisfy constraint: Member must not be null";
            }
        }
        return null;
    }

    /** The query protocol's booleans, as the SDK writes them. */
    static boolean isBoolean(String value) {
        return value != null && (value.toLowerCase(Locale.ROOT).equals("true") || value.toLowerCase(Locale.ROOT).equals("false"));
    }

    /** The members {@code name.member.1}, {@code name.member.2}, ... in order. */
    static List<String> members(Map<String, String> form, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 1; form.containsKey(name + ".member." + i); i++) {
            out.add(form.get(name + ".member." + i));
        }
        return out;
    }
}
