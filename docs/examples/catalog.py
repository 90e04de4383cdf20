"""Look up the catalog: devices, grid zones, cloud regions, with their sources."""

from ml_emissions import formatting as fmt
from ml_emissions import load_catalog

catalog = load_catalog()
print("catalog version:", catalog.version)
print(len(catalog.hardware), "devices,", len(catalog.zones), "grid zones,",
      len(catalog.regions), "cloud regions")

device = catalog.find_hardware("h100 sxm")  # case, spaces and punctuation are ignored
print(device.name, fmt.number(device.tdp_w), "W", device.power_basis, "-",
      device.source.citation)

for name in ("CA-QC", "France"):  # a zone id, or a country name for the country's zone
    zone = catalog.find_zone(name)
    print(zone.label, fmt.number(zone.intensity_lifecycle_g_per_kwh), "gCO2e/kWh life-cycle,",
          zone.source.year)

region = catalog.find_region("gcp:europe-west1")
print(region.key, region.display_name, "grid zone", region.zone_id,
      "provider intensity", region.provider_intensity_g_per_kwh, "CFE%", region.cfe_pct)
