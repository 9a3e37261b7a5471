package org.linkboard.server.plugins;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.store.UnitRecord;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleEnablementTest {

    org.linkboard.server.store.Store store;
    UnitDirectory units;
    ModuleEnablement enablement;

    @BeforeEach
    void setUp() {
        store = ModuleStoreFake.create();
        units = new UnitDirectory();
        units.put(new UnitRecord("university", "University", "university", null));
        units.put(new UnitRecord("xuteli", "Xuteli College", "college", "university"));
        units.put(new UnitRecord("xuteli-lab", "Xuteli Lab", "office", "xuteli"));
        units.put(new UnitRecord("mech", "Mechanical Engineering", "college", "university"));
        enablement = new ModuleEnablement(store, units);
    }

    @Test
    void rootWithoutASettingHasEveryModuleOff() {
        assertFalse(enablement.isEnabled("university", "exchange"));
        assertFalse(enablement.isEnabled("xuteli-lab", "exchange"));
    }

    @Test
    void unitWithoutASettingInheritsItsParents() {
        enablement.set("xuteli", "exchange", true).await();

        assertTrue(enablement.isEnabled("xuteli", "exchange"));
        assertTrue(enablement.isEnabled("xuteli-lab", "exchange"));
        assertFalse(enablement.isEnabled("mech", "exchange"));
        assertFalse(enablement.isEnabled("university", "exchange"));
    }

    @Test
    void aUnitsOwnSettingWinsOverItsParents() {
        enablement.set("university", "exchange", true).await();
        enablement.set("xuteli", "exchange", false).await();

        assertTrue(enablement.isEnabled("mech", "exchange"));
        assertFalse(enablement.isEnabled("xuteli", "exchange"));
        assertFalse(enablement.isEnabled("xuteli-lab", "exchange"));

        enablement.set("xuteli-lab", "exchange", true).await();
        assertTrue(enablement.isEnabled("xuteli-lab", "exchange"));
    }

    @Test
    void removingTheOwnSettingInheritsAgain() {
        enablement.set("university", "exchange", true).await();
        enablement.set("xuteli", "exchange", false).await();
        enablement.set("xuteli", "exchange", null).await();

        assertNull(enablement.explicitSetting("xuteli", "exchange"));
        assertTrue(enablement.isEnabled("xuteli", "exchange"));
    }

    @Test
    void settingsSurviveAReloadFromTheStore() {
        enablement.set("xuteli", "exchange", true).await();

        ModuleEnablement fresh = new ModuleEnablement(store, units);
        fresh.reload().await();
        assertTrue(fresh.isEnabled("xuteli-lab", "exchange"));
    }

    @Test
    void unknownUnitHasNothingEnabled() {
        enablement.set("university", "exchange", true).await();
        assertFalse(enablement.isEnabled("nowhere", "exchange"));
    }
}
