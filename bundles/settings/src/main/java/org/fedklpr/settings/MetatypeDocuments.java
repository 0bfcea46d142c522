package org.fedklpr.settings;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.metatype.AD;
import org.apache.felix.metatype.Designate;
import org.apache.felix.metatype.MetaData;
import org.apache.felix.metatype.MetaDataReader;
import org.apache.felix.metatype.OCD;

/**
 * Reads the metatype documents ({@code OSGI-INF/metatype/*.xml}) a bundle carries with Felix's
 * reader. The reader rather than the MetaType service: the service's attribute definitions do not
 * tell their declared minimum and maximum, which the messages name.
 */
final class MetatypeDocuments {
    static final String LOCATION = "OSGI-INF/metatype";

    private MetatypeDocuments() {
    }

    /** The PIDs and factory PIDs that {@code documents} designate, declared by {@code bundle}. */
    static List<PidSpec> read(String bundle, List<URL> documents) {
        List<PidSpec> declared = new ArrayList<>();
        for (URL document : documents) {
            MetaData metaData;
            try {
                metaData = new MetaDataReader().parse(document);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("bundle " + bundle + " has a metatype document " + document
                        + " that cannot be read: " + e.getMessage(), e);
            }
            if (metaData == null || metaData.getDesignates() == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, OCD> definitions = metaData.getObjectClassDefinitions() == null ? Map.of()
                    : metaData.getObjectClassDefinitions();
            for (Object item : metaData.getDesignates()) {
                Designate designate = (Designate) item;
                OCD ocd = designate.getObject() == null ? null : definitions.get(designate.getObject().getOcdRef());
                if (ocd == null) {
                    continue;
                }
                boolean factory = designate.getFactoryPid() != null && !designate.getFactoryPid().isEmpty();
                String pid = factory ? designate.getFactoryPid() : designate.getPid();
                declared.add(new PidSpec(pid, factory, ocd.getName(), bundle, keys(ocd)));
            }
        }
        return declared;
    }

    private static Map<String, KeySpec> keys(OCD ocd) {
        Map<String, KeySpec> keys = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, AD> attributes = ocd.getAttributeDefinitions() == null ? Map.of() : ocd.getAttributeDefinitions();
        for (AD ad : attributes.values()) {
            List<String> options = ad.getOptionValues() == null ? List.of() : Arrays.asList(ad.getOptionValues());
            List<String> defaults = ad.getDefaultValue() == null ? List.of() : Arrays.asList(ad.getDefaultValue());
            keys.put(ad.getID(), new KeySpec(ad.getID(), ValueType.ofCode(ad.getType()), ad.getCardinality(), options,
                    decimal(ad.getMin()), decimal(ad.getMax()), defaults, ad.getDescription()));
        }
        return keys;
    }

    private static BigDecimal decimal(String bound) {
        if (bound == null || bound.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(bound.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
