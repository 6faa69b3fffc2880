"""Test helpers for facturlib users: hypothesis strategies and builders."""
